"""Sections 1 (実績) and 5 (基礎データ) of a demo 構想調書: the university's track record.

Section 5 carries the figures the 5-level items are scored on (5-(1)…(5)) and the numbers
the 観点 name (受入国数, 海外事務所); section 1 describes the record in prose whose
concreteness follows ``Institution.quality``, so the a–d items do not all deserve the same grade.
"""

from __future__ import annotations

import random
from decimal import Decimal

from .document import Block, Heading, NewPage, Note, Para, Table, num
from .institutions import Institution

YEARS = ("平成18年度", "平成19年度", "平成20年度")


def section1(inst: Institution, rng: random.Random) -> list[Block]:
    return [
        NewPage(),
        Heading("1.", "大学の国際化に関するこれまでの実績", 1),
        *_students(inst, rng),
        *_study_abroad(inst, rng),
        *_initiatives(inst, rng),
        *_organisation(inst, rng),
    ]


def _students(inst: Institution, rng: random.Random) -> list[Block]:
    total = inst.international_students
    top_country, top_n = inst.students_by_country[0]
    share = Decimal(top_n * 100) / total
    named = "、".join(c for c, _ in inst.students_by_country[:3])
    policy = ("特定の国に偏らない受入れを全学の方針として進めてきた" if share < 50
              else f"近年は{top_country}以外からの受入れの拡大に取り組んでいる")
    out: list[Block] = [Heading("1-(1)", "留学生の受入の実績と支援体制", 2)]
    if inst.quality >= 1:
        out.append(Para(
            f"本学は平成20年5月1日現在、{inst.countries}カ国・地域から{num(total)}人の留学生を受け入れている"
            f"（5-(3)参照）。出身国・地域は{named}をはじめ、アジア、欧州、北米、中南米、アフリカに広がっており、"
            f"{policy}。"
            "過去5年間の受入数は毎年増加しており、特に大学院における受入れが全体の伸びを牽引している。"))
    else:
        out.append(Para(
            f"本学は多くの留学生を受け入れており、その数は年々増加している。平成20年5月1日現在の留学生数は{num(total)}人で、"
            f"うち{top_country}からの留学生が{share:.0f}%を占めている。今後は他の国からの受入れについても検討したい。"))
    if inst.quality == 2:
        rooms = max(40, total // 4 // 10 * 10)
        out.append(Para(
            f"生活面では、留学生宿舎{num(rooms)}室を整備し、渡日後1年間は希望者全員の入居を保証している。"
            f"{inst.hq}の下に留学生相談室を置き、英語・中国語・韓国語で対応できる専任の相談員3名が在留手続、"
            "住居、医療、家族の生活に関する相談に応じている。入国・在留手続、銀行口座の開設、国民健康保険への加入等は、"
            "渡日直後のオリエンテーション期間に職員が同行して一括で支援している。"))
        out.append(Para(
            "経済面では、大学独自の留学生奨学金（月額5万円、年間120名）を設けるとともに、TA・RAとして年間延べ"
            f"{num(max(30, total // 8))}名の留学生を採用している。授業料免除の適用率は留学生の約4割に達している。"))
    elif inst.quality == 1:
        out.append(Para(
            "留学生宿舎の整備、入学手続や在留手続の支援、留学生相談室によるカウンセリングを行っている。"
            "経済面では、授業料免除に加え、大学独自の奨学金制度を設けている。TA・RAへの採用も部局ごとに進めている。"))
    else:
        out.append(Para(
            "留学生の生活面の支援については、各学部の事務室が窓口となって対応している。宿舎については民間の"
            "アパートを紹介しており、奨学金については、外部団体の奨学金への応募を支援している。"))
    return out


def _study_abroad(inst: Institution, rng: random.Random) -> list[Block]:
    out: list[Block] = [Heading("1-(2)", "教育課程に位置付けられた留学プログラム等", 2)]
    partner = inst.partners[0]
    if inst.quality == 2:
        out.append(Para(
            f"平成20年度には大学間交流協定に基づく交換留学により{inst.exchange_out}人の日本人学生を派遣した（5-(4)参照）。"
            "全学共通教育に「海外研修」（2単位）と「海外インターンシップ」（4単位）を開設し、帰国後の報告と評価を経て"
            f"卒業要件単位に算入している。{partner}とは、相互に学生を1学期間派遣する単位互換プログラムを実施しており、"
            "派遣前の語学・異文化理解の事前研修と、現地での履修相談の体制を整えている。"))
        out.append(Para(
            "派遣学生には大学独自の派遣奨学金（月額6万円）を支給し、経済的な理由で留学をあきらめることがないよう配慮している。"
            "交換留学の単位認定は、協定校の科目との対応表を全学で公開し、出発前に認定の見通しが分かるようにしている。"))
    elif inst.quality == 1:
        out.append(Para(
            f"平成20年度の交換留学による日本人学生の派遣は{inst.exchange_out}人であった。夏季・春季の短期語学研修を"
            f"単位化しているほか、{partner}への交換留学では取得単位を本学の単位として認定している。"))
    else:
        out.append(Para(
            f"本学の学生は夏休みを利用して海外の語学研修に参加しており、平成20年度の交換留学による派遣は{inst.exchange_out}人であった。"
            "単位の認定は学部ごとに判断している。"))
    return out


def _initiatives(inst: Institution, rng: random.Random) -> list[Block]:
    out: list[Block] = [Heading("1-(3)", "大学の国際化の取組の実績", 2)]
    english = rng.choice((120, 160, 210, 260)) if inst.quality else rng.choice((12, 18))
    if inst.quality >= 1:
        out.append(Para(
            f"{inst.focus}の分野を中心に、英語による授業を平成20年度には{english}科目開講している。"
            f"{inst.partners[0]}との間では、双方の学位取得を目指すダブル・ディグリー・プログラムを開発中であり、"
            "日本人学生と留学生が共に学ぶ「国際共修科目」を全学共通科目として設けている。"))
        out.append(Para(
            f"また、本学は{inst.consortium}に加盟し、年次総会での共同教育プログラムの企画、学生の短期交流、"
            "若手研究者の合同セミナーに継続的に参加している。海外の有力大学との共同研究を基盤とした教育連携も"
            "部局単位で広がっている。"))
    else:
        out.append(Para(
            f"英語による授業は{english}科目程度開講している。海外の大学との連携については、協定校との交流を"
            "中心に行ってきた。国際的なネットワークへの参加については、今後検討していく。"))
    return out


def _organisation(inst: Institution, rng: random.Random) -> list[Block]:
    out: list[Block] = [Heading("1-(4)", "国際化に向けた組織体制", 2)]
    if inst.quality >= 1:
        out.append(Para(
            f"平成17年に学長を本部長とし、{inst.leader.split(' ')[0]}を副本部長とする「{inst.hq}」を設置し、"
            "国際化の方針の企画・立案と、部局を横断する事業の調整を一元的に行っている。本部には教員と事務職員を"
            "併せて配置し、教職協働による運営を行っている。"))
        out.append(Para(
            f"教員の採用にあたっては国際公募を原則とし、外国人教員は{inst.foreign_faculty_total}人（兼任を含む）に達している"
            "（5-(5)参照）。英語による授業の方法に関するFDを年2回開催している。"
            f"事務職員については、{inst.staff_training}を行っている。"))
    else:
        out.append(Para(
            f"国際交流に関する事項は「{inst.hq}」が所管し、学部間の調整は各学部の代表からなる委員会を"
            "必要に応じて開催して行っている。外国人教員の採用は各学部の判断で行っている。"
            f"職員については、{inst.staff_training}。"))
    return out


# --- section 5: figures --------------------------------------------------------------


def section5(inst: Institution) -> list[Block]:
    return [
        NewPage(),
        Heading("5.", "基礎データ", 1),
        Heading("5-(1)", "学位授与の実績（平成18〜20年度）", 2),
        _three_years(("修士", "博士"), inst.degrees, "件"),
        Note(f"※ 3年間の平均件数 {num(inst.degree_average)}件（修士・博士の合計）"),
        Heading("5-(2)", "科学研究費補助金の採択状況（平成18〜20年度）", 2),
        _three_years(("新規採択", "継続課題"), inst.kakenhi, "件"),
        Note(f"※ 3年間の平均採択件数 {num(inst.kakenhi_average)}件（新規採択分＋継続課題分）"),
        Heading("5-(3)", "留学生の受入状況（平成20年5月1日現在）", 2),
        _students_table(inst),
        Note(f"※ 受入国・地域数 {inst.countries}カ国・地域。全学の在籍者数 {num(inst.total_students)}人"
             f"（留学生比率 {_ratio(inst.international_students, inst.total_students)}）"),
        Heading("5-(4)", "大学間交流協定等に基づく交換留学による日本人学生の派遣人数（平成20年度）", 2),
        Table(("区分", "派遣人数"), (("学部学生", num(round(inst.exchange_out * 0.7))),
                                   ("大学院学生", num(inst.exchange_out - round(inst.exchange_out * 0.7))),
                                   ("計", num(inst.exchange_out))),
              (3, 2), numeric=(1,), total_row=True),
        Heading("5-(5)", "外国人教員数（平成20年5月1日現在、兼任者を含む）", 2),
        Table(("教授", "准教授", "講師", "助教", "計", "全教員数"),
              ((*(num(n) for n in inst.foreign_faculty), num(inst.foreign_faculty_total), num(inst.total_faculty)),),
              (1, 1, 1, 1, 1, 1.3), numeric=(0, 1, 2, 3, 4, 5)),
        Note(f"※ 外国人教員比率 {_ratio(inst.foreign_faculty_total, inst.total_faculty)}"),
        Heading("5-(6)", "大学間交流協定の締結状況（平成21年4月1日現在）", 2),
        Table(("地域", "協定数"), (*((r, num(n)) for r, n in inst.agreements),
                                   ("計", num(sum(n for _, n in inst.agreements)))),
              (3, 2), numeric=(1,), total_row=True),
        Heading("5-(7)", "海外事務所の設置状況及び設置計画", 2),
        Table(("所在地", "国", "地域", "状況"),
              tuple((o.city, o.country, o.region, "設置済（活用）" if o.existing else "新設予定") for o in inst.offices),
              (2, 2, 2, 2)),
        Note(f"※ 設置国数 {inst.office_countries}カ国"),
    ]


def _three_years(cols: tuple[str, str], data: tuple[tuple[int, int], ...], unit: str) -> Table:
    rows = [(year, num(a), num(b), num(a + b)) for year, (a, b) in zip(YEARS, data)]
    avg = [Decimal(sum(x[i] for x in data)) / 3 for i in (0, 1)]
    rows.append(("平均", *(f"{v:,.1f}" for v in (*avg, avg[0] + avg[1]))))
    return Table(("年度", *cols, f"計（{unit}）"), tuple(rows), (2, 1.5, 1.5, 1.5), numeric=(1, 2, 3), total_row=True)


def _students_table(inst: Institution) -> Table:
    total = inst.international_students
    rows = [(c, num(n), _ratio(n, total)) for c, n in inst.students_by_country]
    rows.append(("計", num(total), "100.0%"))
    return Table(("国・地域", "人数", "構成比"), tuple(rows), (3, 1.5, 1.5), numeric=(1, 2), total_row=True)


def _ratio(part: int, whole: int) -> str:
    return f"{Decimal(part * 100) / whole:.1f}%"
