"""Sections 2 (構想), 3 (達成目標), 4 (英語コース) and 6 (授業科目) of a demo 構想調書.

Written from the university's plan figures; ``quality`` decides how concrete the text is
(who, how many, by when, with what money), which is what the 視点2 観点 ask a reviewer to weigh.
"""

from __future__ import annotations

import random

from .document import Block, Heading, NewPage, Note, Para, Table, num, pct
from .institutions import Institution

MILESTONES = ("平成22年度末", "平成25年度末", "平成32年度末")


def summary(inst: Institution) -> str:
    """構想の概要 on the cover page."""
    return (
        f"本構想は、{inst.focus}における本学の蓄積を基盤に、英語による授業のみで学位を取得できるコースを"
        f"{inst.plan.english_courses[2]}コースまで拡充し、平成32年度末までに留学生{num(inst.plan.students[2])}人の受入れを目指すものである。"
        f"{'・'.join(inst.priority_countries)}を受入重点国とし、"
        f"{'・'.join(o.city for o in inst.offices)}の海外大学共同利用事務所を拠点として、日本の大学全体への留学を促進する。"
    )


def section2(inst: Institution, rng: random.Random) -> list[Block]:
    return [
        NewPage(),
        Heading("2.", "国際化拠点の構想", 1),
        Heading("2-(1)", "英語による授業のみで学位を取得できるコースの設置", 2),
        Heading("2-(1)-①", "設置するコースと人材養成目的", 3),
        _courses_table(inst),
        *_course_aims(inst),
        Heading("2-(1)-②", "カリキュラムの特色と成績管理", 3),
        *_curriculum(inst),
        Heading("2-(2)", "留学生の受入計画と体制整備", 2),
        Heading("2-(2)-①", "国別受入計画と受入重点国", 3),
        *_country_plan(inst),
        Heading("2-(2)-②", "受入体制の整備", 3),
        *_support(inst),
        Heading("2-(3)", "構想の実施体制", 2),
        *_implementation(inst, rng),
        Heading("2-(4)", "海外大学共同利用事務所の整備", 2),
        *_offices(inst),
        Heading("2-(5)", "達成目標", 2),
        *_goals_text(inst),
        Heading("2-(6)", "構想の実現に向けた計画", 2),
        Heading("2-(6)-①", "年次計画と資金計画", 3),
        *_budget(inst),
        Heading("2-(6)-②", "評価と改善の仕組み", 3),
        *_evaluation(inst),
    ]


def _courses_table(inst: Institution) -> Table:
    rows = tuple((c.unit, c.name, c.degree, c.start, num(c.capacity)) for c in inst.courses)
    return Table(("研究科・学部", "コース名", "授与する学位", "開設", "定員"), rows, (2.2, 2.8, 2.6, 1.3, 0.8),
                 caption="表2-1 英語コースの設置計画", numeric=(4,))


def _course_aims(inst: Institution) -> list[Block]:
    if inst.quality == 2:
        return [Para(
            f"各コースは、{inst.focus}の分野で国際的に活躍できる専門職業人・研究者の養成を目的とする。"
            "学部・研究科ごとに少なくとも1コースを新設し、平成25年度までに全ての研究科に英語コースを置く。"
            "入学者選抜は書類審査とテレビ会議による面接で行い、渡日前に合否を決定する。")]
    if inst.quality == 1:
        return [Para(
            f"{inst.focus}に関する専門性を持ち、国際的に活躍できる人材の養成を目的とする。"
            "既存の英語による授業科目を再編し、上記のコースを順次開設する。")]
    return [Para("国際的な人材の養成を目的として、英語によるコースの設置を進める。他の研究科についても、今後設置を検討する。")]


def _curriculum(inst: Institution) -> list[Block]:
    if inst.quality == 2:
        return [Para(
            "カリキュラムは、基礎・専門・研究の3段階の科目群で体系的に編成し、科目ナンバリングとGPAを全コースで導入する。"
            "成績評価は評価基準をシラバスに明示し、コースごとに成績分布を公表する。海外協定校の教員を外部評価者とし、"
            "修士論文・博士論文の審査に加わってもらうことで、国際的に通用する水準を保証する。"
            "学生による授業評価を毎学期実施し、結果を授業担当教員と教育改善委員会で共有する（4-(3)参照）。")]
    if inst.quality == 1:
        return [Para(
            "専門科目を英語で体系的に履修できるよう科目を配置し、成績評価にはGPAを用いる。"
            "学生による授業評価を実施し、教育の改善に活用する。")]
    return [Para("カリキュラムについては、各研究科において検討を進めているところである。成績評価は従来の方法による。")]


def _country_plan(inst: Institution) -> list[Block]:
    s = inst.plan.students
    n = len(inst.priority_countries)
    weights = [n - i + 1 for i in range(n)]
    planned = [[round(v * w / (sum(weights) + 2) / 10) * 10 for v in s] for w in weights]
    others = [v - sum(p[i] for p in planned) for i, v in enumerate(s)]
    rows = [(c, *(num(v) for v in p)) for c, p in zip(inst.priority_countries, planned)]
    rows.append(("その他の国・地域", *(num(v) for v in others)))
    rows.append(("計", *(num(v) for v in s)))
    blocks: list[Block] = [Table(("国・地域", *MILESTONES), tuple(rows), (3, 2, 2, 2), caption="表2-2 国別受入計画（人）",
                                 numeric=(1, 2, 3), total_row=True)]
    if inst.quality >= 1:
        blocks.append(Para(
            f"受入重点国は{'、'.join(inst.priority_countries)}の{n}カ国とする。いずれも本学との共同研究・学生交流の実績が"
            "あり、現地の協定校との間で推薦入学制度を設ける。アドバンスド・プレースメントとして、協定校で修得した単位を"
            "入学後に認定し、修業年限内での学位取得を支援する。"))
    else:
        blocks.append(Para(f"受入重点国は{'、'.join(inst.priority_countries)}とし、これまでの交流実績を生かして受入れを拡大する。"))
    return blocks


def _support(inst: Institution) -> list[Block]:
    if inst.quality == 2:
        text = ("留学生宿舎を平成25年度までに新たに300室整備し、学内文書・規則の英語化を平成22年度までに完了する。"
                "留学生ワンストップ窓口を設け、在留手続・住居・医療の支援を一元化する。経済面では、授業料減免と大学独自の"
                "奨学金（年間200名）を拡充する。日本語・日本文化の科目を初級から上級まで体系化し、チューター・TAを配置する。"
                "就職支援として、地元企業との連携によるインターンシップと、留学生向け就職セミナーを年4回開催する。")
    elif inst.quality == 1:
        text = ("留学生宿舎の増設、相談窓口の充実、奨学金の拡充を図る。日本語教育については、日本語教育センターの"
                "科目を充実させる。就職支援についてはキャリアセンターと連携して行う。")
    else:
        text = "留学生の増加に対応できるよう、宿舎や奨学金等について関係部署で検討し、順次整備していく。"
    return [Para(text)]


def _implementation(inst: Institution, rng: random.Random) -> list[Block]:
    if inst.quality >= 1:
        first = (f"本学の中期目標・中期計画では、国際化を教育・研究と並ぶ柱と位置付けている。本構想は{inst.hq}が"
                 f"全学の調整を担い、{inst.leader}が事業責任者として実施する。")
        second = ("事務体制については、国際担当部署に英語で業務を行える職員を重点的に配置し、"
                  f"{inst.staff_training}を行う。外国人教員の招へいに際しては、学内文書の英語化と、住居・家族の生活支援を行う。"
                  "海外で通算1年以上教育研究に従事した日本人教員、国外で学位を取得した日本人教員の採用を積極的に進める。")
        third = (f"日本人学生の海外派遣については、{inst.partners[0]}等との単位互換を拡大する。"
                 + ("秋季入学を平成22年度から全ての英語コースで実施する。" if inst.quality == 2 else
                    "4月以外の入学については、英語コースから順次導入する。"))
        return [Para(first), Para(second), Para(third)]
    return [Para(f"本構想は{inst.hq}を中心に実施する。事務体制の国際化や外国人教員の支援については、必要に応じて対応する。"
                 "4月以外の時期の入学については、今後の検討課題である。")]


def _offices(inst: Institution) -> list[Block]:
    rows = tuple((o.city, o.country, "既存の事務所を活用" if o.existing else "平成22年度に新設", _office_staff(inst, o.existing))
                 for o in inst.offices)
    blocks: list[Block] = [Table(("所在地", "国", "整備の方法", "人員"), rows, (2, 2, 3, 3),
                                 caption="表2-3 海外大学共同利用事務所")]
    if inst.quality >= 1:
        blocks.append(Para(
            "各事務所では、日本の大学全体への留学説明会の開催、テレビ会議システムを用いた入学面接、渡日前の入学手続・"
            "住居手配の支援をワンストップで行う。他大学の入試情報も一括して提供し、日本留学の魅力を現地語で発信する。"))
    else:
        blocks.append(Para("事務所では、本学への留学希望者に対する情報提供を行う。他大学との共同利用の方法については今後検討する。"))
    if any(o.region in ("中南米", "中東・アフリカ") for o in inst.offices):
        blocks.append(Para("事務所の設置・運営に困難を伴う地域であるが、現地の協定校と大使館の協力を得て、安全管理と運営の体制を確保する。"))
    return blocks


def _office_staff(inst: Institution, existing: bool) -> str:
    if inst.quality == 2:
        return "常勤職員2名・現地職員3名"
    if inst.quality == 1:
        return "常勤職員1名・現地職員2名"
    return "現地職員1名（予定）"


def _goals_text(inst: Institution) -> list[Block]:
    s, f = inst.plan.students, inst.plan.foreign_faculty
    text = (f"留学生数は平成20年5月1日現在の{num(inst.international_students)}人から、平成32年度末に{num(s[2])}人"
            f"（{num(inst.student_increase)}人増、留学生比率{pct(inst.student_ratio_target)}）とする。外国人教員は"
            f"{num(inst.foreign_faculty_total)}人から{num(f[2])}人（外国人教員比率{pct(inst.faculty_ratio_target)}）に増やす。"
            "各時点の目標は3.に示す。")
    if inst.quality == 0:
        text += "目標の達成に向けて、全学で努力する。"
    return [Para(text)]


def _budget(inst: Institution) -> list[Block]:
    b = inst.plan.budget
    years = ("平成21年度", "平成22年度", "平成23年度", "平成24年度", "平成25年度")
    grant = [round(v * 0.55) for v in b]
    rows = [(y, num(v), num(g), num(v - g)) for y, v, g in zip(years, b, grant)]
    rows.append(("計", num(sum(b)), num(sum(grant)), num(sum(b) - sum(grant))))
    blocks: list[Block] = [Table(("年度", "事業費（百万円）", "うち補助金", "うち自己負担"), tuple(rows), (2, 2, 2, 2),
                                 caption="表2-4 資金計画", numeric=(1, 2, 3), total_row=True)]
    if inst.quality == 2:
        blocks.append(Para("補助期間終了後は、授業料収入の増加分と外部資金により事業を継続する。平成26年度以降の自己資金による"
                           "事業費は年額2億円を見込み、財務計画に組み込んでいる。"))
    elif inst.quality == 0:
        blocks.append(Para("補助期間終了後の事業の継続については、その時点の財政状況を踏まえて判断する。"))
    return blocks


def _evaluation(inst: Institution) -> list[Block]:
    if inst.quality >= 1:
        return [Para("毎年度、達成目標に対する進捗を学内の評価委員会が点検し、外部有識者（海外の大学関係者を含む）による評価を"
                     "2年ごとに受ける。評価結果は翌年度の計画と予算配分に反映する。")]
    return [Para("事業の評価は、大学の自己点検・評価の中で行う。")]


# --- section 3: the goals table -------------------------------------------------------


def section3(inst: Institution) -> list[Block]:
    p = inst.plan
    now_ratio = f"{inst.international_students * 100 / inst.total_students:.1f}%"
    now_fratio = f"{inst.foreign_faculty_total * 100 / inst.total_faculty:.1f}%"
    rows = (
        ("留学生数（人）", num(inst.international_students), *(num(v) for v in p.students)),
        ("留学生比率", now_ratio, "—", "—", pct(inst.student_ratio_target)),
        ("外国人教員数（人）", num(inst.foreign_faculty_total), *(num(v) for v in p.foreign_faculty)),
        ("外国人教員比率", now_fratio, "—", "—", pct(inst.faculty_ratio_target)),
        ("英語コース数（累計）", "0", *(num(v) for v in p.english_courses)),
        ("交換留学による派遣数（人）", num(inst.exchange_out), *(num(v) for v in p.exchange_out)),
        ("受入重点国数", "—", *([num(len(inst.priority_countries))] * 3)),
        ("海外事務所の設置国数", "—", *([num(inst.office_countries)] * 3)),
    )
    return [
        Heading("3.", "達成目標", 1),
        Table(("項目", "現状（平成20年度）", *MILESTONES), rows, (3, 2, 1.6, 1.6, 1.6), numeric=(1, 2, 3, 4)),
        Note("※ 比率は、平成32年度末の全学の在籍者数・全教員数の見込みに対する割合。"),
    ]


# --- sections 4 and 6: the English-taught courses --------------------------------------


def section4(inst: Institution) -> list[Block]:
    first = inst.courses[0]
    out: list[Block] = [NewPage(), Heading("4.", "英語コースの概要", 1),
                        Heading("4-(1)", "人材養成目的と授与する学位", 2)]
    out.append(Para(f"代表的なコースである{first.unit}「{first.name}」は、{inst.focus}の分野の国際的な課題に取り組む"
                    f"人材を養成し、{first.degree}の学位を授与する。入学定員は{first.capacity}名とし、そのうち半数以上を留学生とする。"))
    out.append(Heading("4-(2)", "カリキュラムの編成", 2))
    out.append(Para("1年次に基礎科目と研究方法論を履修し、2年次以降は専門科目と研究指導を中心とする。全ての科目を英語で開講し、"
                    "日本人学生も同じ科目を履修する。授業科目の例は6.に示す。"))
    out.append(Heading("4-(3)", "教育改善の体制", 2))
    if inst.quality >= 1:
        out.append(Para("コースごとに教育改善委員会を置き、英語テキストの作成、英語による教授法の研修、学生による授業評価、"
                        "教員相互の授業参観を組み合わせて教育の質を点検する。"))
    else:
        out.append(Para("教育の改善については、既存のFD委員会で対応する。"))
    out.append(Heading("4-(4)", "教員の確保と質の向上", 2))
    if inst.quality >= 1:
        added = inst.plan.foreign_faculty[1] - inst.foreign_faculty_total
        out.append(Para(f"担当教員は国際公募により採用し、平成25年度末までに外国人教員を{added}人増員する。"
                        "日本人教員には海外の協定校での半年間の教育研究の機会を設ける。"))
    else:
        out.append(Para("担当教員は、英語で授業ができる教員を学内から選ぶ。"))
    return out


def section6(inst: Institution, rng: random.Random) -> list[Block]:
    first = inst.courses[0]
    subjects = _SUBJECTS[inst.proposal_id]
    teachers = _TEACHERS[:]
    rng.shuffle(teachers)
    rows = tuple((s, kind, credits, teachers[i % len(teachers)]) for i, (s, kind, credits) in enumerate(subjects))
    return [
        Heading("6.", f"英語コースの授業科目（{first.name}・抜粋）", 1),
        Table(("授業科目名", "区分", "単位", "担当教員"), rows, (4, 1.4, 0.8, 2.4), numeric=(2,)),
        Note("※ 全ての授業科目を英語で実施する。担当教員は予定を含む。"),
    ]


_TEACHERS = ["教授 J. ミラー", "准教授 李 明", "教授 佐伯 誠", "講師 A. シャルマ", "准教授 小松 亜紀", "教授 M. ガルシア",
             "助教 N. グエン", "准教授 大谷 修"]

_CORE = (("Research Methods and Academic Writing", "基礎", "2"), ("Japanese Society and Culture", "基礎", "2"))
_THESIS = ("Thesis Research", "研究", "10")
_SUBJECTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "D01": (*_CORE, ("Advanced Materials Engineering", "専門", "2"), ("Robotics and Control Systems", "専門", "2"),
            ("Global Health Policy", "専門", "2"), ("Research Internship Abroad", "演習", "4"), _THESIS),
    "D02": (*_CORE, ("Sustainability Science", "専門", "2"), ("Cold Region Agriculture", "専門", "2"),
            ("Arctic Environmental Change", "専門", "2"), ("Field Work in Mongolia", "演習", "4"), _THESIS),
    "D03": (*_CORE, ("Tropical Infectious Diseases", "専門", "2"), ("Epidemiology and Biostatistics", "専門", "2"),
            ("International Health Cooperation", "専門", "2"), ("Field Training in Kenya", "演習", "4"), _THESIS),
    "D04": (*_CORE, ("Comparative East Asian Societies", "専門", "2"), ("Multicultural Collaborative Learning", "専門", "2"),
            ("Asian Business Strategy", "専門", "2"), ("Study Abroad Seminar", "演習", "2"), ("Graduation Project", "研究", "6")),
    "D05": (*_CORE, ("Dryland Agriculture", "専門", "2"), ("Desertification and Land Management", "専門", "2"),
            _THESIS),
    "D06": (*_CORE, ("Software Engineering", "専門", "2"), ("Computer Networks", "専門", "2"),
            ("Human-Computer Interaction", "専門", "2"), ("Industry Project with Silicon Valley Partners", "演習", "4"),
            _THESIS),
    "D07": (*_CORE, ("Manufacturing Systems", "専門", "2"), ("Renewable Energy Engineering", "専門", "2"),
            ("Factory Internship in Thailand", "演習", "4"), _THESIS),
    "D08": (*_CORE, ("International Economics", "専門", "2"), ("Regional Industry Studies", "専門", "2"),
            _THESIS),
}
