"""The fictional universities of the demo round, with every figure their 構想調書 states.

Invented for the demo (no real institution is scored): names, people and numbers are made
up. The themes echo the background material on university internationalization (strategy
headquarters under a vice-president, overseas centres by region, double degrees, staff
training abroad, support for foreign researchers, development-assistance projects, hubs in
Latin America and Africa …), recombined per university.

The section-5 figures are chosen so the 5-level items suggest different levels across the
proposals (figure ÷ 基準数 spans < 0.5 to > 2.0), and the numeric 観点 (留学生比率, 外国人教員比率,
受入重点国数, 事務所の国数, 受入国数) fall above, between and below their minimum and 目安.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class EnglishCourse:
    unit: str  # 研究科・学部
    name: str
    degree: str
    start: str  # 開設予定年度
    capacity: int  # 入学定員


@dataclass(frozen=True)
class Office:
    city: str
    country: str
    region: str  # アジア / 欧州 / 北米 / 中南米 / 中東・アフリカ
    existing: bool  # 既存の事務所を活用する


@dataclass(frozen=True)
class Plan:
    """達成目標 at 平成22年度末, 平成25年度末, 平成32年度末 (in that order)."""

    students: tuple[int, int, int]  # 留学生受入数
    foreign_faculty: tuple[int, int, int]  # 外国人教員数
    english_courses: tuple[int, int, int]  # 英語コース数（累計）
    exchange_out: tuple[int, int, int]  # 交換留学による派遣数
    budget: tuple[int, int, int, int, int]  # 平成21〜25年度の事業費（百万円）


@dataclass(frozen=True)
class Institution:
    proposal_id: str
    name: str
    kind: str  # 国立 / 公立 / 私立
    region: str
    president: str
    leader: str  # 事業責任者（職名と氏名）
    title: str  # 構想の名称
    focus: str  # the university's strength the concept builds on
    hq: str  # 全学的な国際戦略組織の名称
    #: How concrete the writing is: 2 concrete and measured, 1 mixed, 0 vague (weaker 視点2 grades).
    quality: int
    # --- section 5 figures -------------------------------------------------------------
    degrees: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]  # (修士, 博士) for H18, H19, H20
    kakenhi: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]  # (新規, 継続) for H18, H19, H20
    students_by_country: tuple[tuple[str, int], ...]  # 平成20年5月1日現在; the last row may be 「その他」
    countries: int  # 受入国・地域数
    exchange_out: int  # 平成20年度 交換留学による派遣数
    foreign_faculty: tuple[int, int, int, int]  # 教授, 准教授, 講師, 助教（兼任を含む）
    total_students: int  # 全学の在籍者数（平成20年5月1日現在）
    total_faculty: int  # 全教員数
    agreements: tuple[tuple[str, int], ...]  # 大学間交流協定: region → count
    # --- the plan ------------------------------------------------------------------------
    priority_countries: tuple[str, ...]
    offices: tuple[Office, ...]
    courses: tuple[EnglishCourse, ...]
    plan: Plan
    partners: tuple[str, ...]  # partner universities (fictional) for double degrees and credit transfer
    consortium: str
    staff_training: str  # how administrative staff are trained for international work

    # --- derived figures -----------------------------------------------------------------

    @property
    def international_students(self) -> int:
        return sum(n for _, n in self.students_by_country)

    @property
    def foreign_faculty_total(self) -> int:
        return sum(self.foreign_faculty)

    @property
    def degree_average(self) -> Decimal:
        return _avg(sum(pair) for pair in self.degrees)

    @property
    def kakenhi_average(self) -> Decimal:
        return _avg(sum(pair) for pair in self.kakenhi)

    @property
    def student_ratio_target(self) -> Decimal:
        """留学生比率 planned for 平成32年度, in percent of the students then enrolled."""
        enrolled = self.total_students + self.plan.students[2] - self.international_students
        return _pct(self.plan.students[2], enrolled)

    @property
    def faculty_ratio_target(self) -> Decimal:
        """外国人教員比率 planned for 平成32年度, in percent of all faculty then employed."""
        staff = self.total_faculty + self.plan.foreign_faculty[2] - self.foreign_faculty_total
        return _pct(self.plan.foreign_faculty[2], staff)

    @property
    def student_increase(self) -> int:
        return self.plan.students[2] - self.international_students

    @property
    def office_countries(self) -> int:
        return len({o.country for o in self.offices})


def _avg(values: object) -> Decimal:
    vals = list(values)  # type: ignore[call-overload]
    return (Decimal(sum(vals)) / len(vals)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _c(unit: str, name: str, degree: str, start: str, capacity: int) -> EnglishCourse:
    return EnglishCourse(unit, name, degree, start, capacity)


def _o(city: str, country: str, region: str, existing: bool) -> Office:
    return Office(city, country, region, existing)


INSTITUTIONS: tuple[Institution, ...] = (
    Institution(
        "D01", "東都大学", "国立", "関東", "柏木 宏明", "理事・副学長（国際担当） 真田 恵子",
        "アジア太平洋の知の拠点・東都グローバルキャンパス構想", "理工系・医歯薬系を中心とする総合研究",
        "国際戦略本部", 2,
        ((2410, 812), (2468, 826), (2515, 851)), ((1520, 2930), (1588, 3012), (1610, 3087)),
        (("中国", 1012), ("韓国", 388), ("台湾", 142), ("インドネシア", 96), ("タイ", 88), ("ベトナム", 74),
         ("米国", 61), ("ドイツ", 38), ("その他（74カ国・地域）", 381)),
        83, 164, (48, 61, 52, 71), 24820, 3046,
        (("アジア", 118), ("欧州", 96), ("北米", 41), ("中南米", 9), ("中東・アフリカ", 12), ("オセアニア", 14)),
        ("中国", "インドネシア", "ベトナム", "インド"),
        (_o("北京", "中国", "アジア", True), _o("ジャカルタ", "インドネシア", "アジア", True),
         _o("ニューデリー", "インド", "アジア", False)),
        (_c("工学系研究科", "国際先端工学コース", "修士（工学）・博士（工学）", "平成21年度", 40),
         _c("理学系研究科", "グローバル理学コース", "修士（理学）", "平成22年度", 20),
         _c("医学系研究科", "国際保健学コース", "修士（保健学）・博士（医学）", "平成22年度", 15),
         _c("経済学部", "アジア経済学プログラム", "学士（経済学）", "平成23年度", 30),
         _c("工学部", "国際工学プログラム", "学士（工学）", "平成22年度", 40)),
        Plan((2700, 3600, 5000), (240, 275, 320), (4, 9, 14), (200, 260, 400), (420, 410, 400, 380, 360)),
        ("ハノーファー工科大学（ドイツ）", "バンドン技術院（インドネシア）", "清華園大学（中国）"),
        "環太平洋研究大学連合", "国際担当職員を毎年10名、海外協定校へ3か月間派遣する研修制度"),
    Institution(
        "D02", "北辰大学", "国立", "北海道", "大町 正樹", "副学長（国際戦略担当） 渡会 隆",
        "持続可能な開発のための北方圏国際教育研究拠点", "寒冷地環境・食料・エネルギーの持続可能性研究",
        "サステナビリティ国際推進本部", 2,
        ((402, 138), (411, 142), (436, 151)), ((118, 176), (122, 181), (129, 190)),
        (("中国", 498), ("韓国", 164), ("モンゴル", 58), ("ロシア", 52), ("インドネシア", 47), ("タイ", 41),
         ("米国", 29), ("その他（57カ国・地域）", 231)),
        64, 72, (14, 22, 19, 29), 18240, 2104,
        (("アジア", 84), ("欧州", 51), ("北米", 23), ("中南米", 4), ("中東・アフリカ", 6), ("オセアニア", 9)),
        ("中国", "ロシア", "モンゴル"),
        (_o("ウランバートル", "モンゴル", "アジア", True), _o("ハバロフスク", "ロシア", "欧州", False)),
        (_c("環境科学院", "持続可能性学国際コース", "修士（環境科学）・博士（環境科学）", "平成21年度", 25),
         _c("農学院", "寒冷地農業国際コース", "修士（農学）", "平成22年度", 15),
         _c("工学院", "北方エネルギー工学コース", "修士（工学）", "平成23年度", 15)),
        Plan((1450, 2100, 3000), (110, 130, 160), (3, 6, 9), (90, 130, 200), (240, 235, 230, 220, 210)),
        ("ノルド極域大学（ノルウェー）", "ウランバートル国立総合大学（モンゴル）"),
        "北極圏大学ネットワーク", "国際担当職員の英語研修と、海外拠点での半年間の実務研修"),
    Institution(
        "D03", "西海大学", "国立", "九州", "須藤 和彦", "理事（国際・地域連携担当） 小野寺 陽子",
        "熱帯医学と国際協力でつなぐアジア・アフリカ教育拠点", "熱帯医学・国際保健と開発援助",
        "国際連携戦略本部", 1,
        ((298, 101), (305, 112), (311, 106)), ((96, 109), (101, 115), (104, 121)),
        (("中国", 202), ("韓国", 61), ("ベトナム", 52), ("ケニア", 31), ("フィリピン", 29), ("バングラデシュ", 27),
         ("その他（32カ国・地域）", 158)),
        38, 41, (9, 14, 12, 17), 12380, 1482,
        (("アジア", 57), ("欧州", 18), ("北米", 9), ("中南米", 3), ("中東・アフリカ", 11), ("オセアニア", 3)),
        ("ベトナム", "ケニア", "フィリピン"),
        (_o("ナイロビ", "ケニア", "中東・アフリカ", True), _o("ハノイ", "ベトナム", "アジア", True)),
        (_c("医歯薬学総合研究科", "国際熱帯医学コース", "修士（医科学）・博士（医学）", "平成21年度", 20),
         _c("水産・環境科学総合研究科", "アジア海洋環境コース", "修士（水産学）", "平成22年度", 10)),
        Plan((780, 1200, 1900), (64, 78, 98), (2, 4, 6), (55, 80, 120), (180, 175, 170, 160, 150)),
        ("ナイロビ中央大学（ケニア）", "フエ医科大学（ベトナム）"),
        "アジア・アフリカ国際保健大学コンソーシアム", "開発援助機関への職員出向と、英語による文書作成研修"),
    Institution(
        "D04", "洛陽学院大学", "私立", "近畿", "西園寺 まどか", "副学長（国際教育担当） ロバート・ハミルトン",
        "多文化共修キャンパスによるアジア人材育成拠点", "人文・社会科学と多文化共修の教育",
        "グローバル教育推進機構", 2,
        ((168, 52), (175, 55), (181, 59)), ((31, 38), (34, 41), (36, 45)),
        (("中国", 612), ("韓国", 301), ("台湾", 118), ("ベトナム", 72), ("米国", 64), ("フランス", 41),
         ("マレーシア", 39), ("その他（40カ国・地域）", 208)),
        47, 198, (31, 44, 26, 17), 21040, 978,
        (("アジア", 92), ("欧州", 64), ("北米", 38), ("中南米", 6), ("中東・アフリカ", 4), ("オセアニア", 15)),
        ("中国", "韓国", "ベトナム", "マレーシア"),
        (_o("上海", "中国", "アジア", True), _o("ソウル", "韓国", "アジア", True),
         _o("クアラルンプール", "マレーシア", "アジア", False)),
        (_c("国際関係学部", "グローバル・スタディーズ・プログラム", "学士（国際関係学）", "平成21年度", 60),
         _c("経営学研究科", "アジアビジネスコース", "修士（経営学）", "平成22年度", 25),
         _c("文学研究科", "日本研究国際コース", "修士（文学）・博士（文学）", "平成22年度", 10),
         _c("政策科学部", "公共政策英語プログラム", "学士（政策科学）", "平成23年度", 40)),
        Plan((1900, 2900, 4300), (132, 140, 150), (4, 7, 10), (240, 300, 420), (300, 290, 290, 280, 270)),
        ("漢江外国語大学（韓国）", "リヨン第三政治学院（フランス）", "マラヤ経営大学（マレーシア）"),
        "東アジア・リベラルアーツ大学連合", "職員の海外協定校への交換派遣（年6名）と、TOEIC 730点以上の職員比率の目標管理"),
    Institution(
        "D05", "砂丘大学", "国立", "中国", "高梨 正", "学長補佐（国際交流担当） 川端 伸二",
        "乾燥地科学を核とする中南米・中東との国際教育連携", "乾燥地の農業・環境研究",
        "国際交流センター", 0,
        ((102, 31), (104, 34), (109, 40)), ((31, 44), (33, 47), (34, 45)),
        (("中国", 148), ("韓国", 36), ("エジプト", 14), ("メキシコ", 12)),
        4, 12, (3, 6, 5, 7), 6120, 688,
        (("アジア", 14), ("欧州", 5), ("北米", 3), ("中南米", 4), ("中東・アフリカ", 5), ("オセアニア", 1)),
        ("メキシコ",),
        (_o("ラパス", "メキシコ", "中南米", True), _o("カイロ", "エジプト", "中東・アフリカ", False)),
        (_c("農学研究科", "国際乾燥地科学コース", "修士（農学）", "平成22年度", 10),),
        Plan((300, 480, 700), (24, 27, 30), (1, 2, 3), (20, 30, 45), (90, 85, 85, 80, 80)),
        ("バハ・カリフォルニア南部自治大学（メキシコ）",),
        "乾燥地研究機関ネットワーク", "必要に応じて研修を行うことを検討する"),
    Institution(
        "D06", "磐梯情報科学大学", "公立", "東北", "アレクサンドル・ペトロフ", "副学長（国際化担当） 遠藤 美和",
        "英語を共通語とする情報科学国際教育拠点", "コンピュータ理工学の教育研究",
        "国際戦略室", 1,
        ((62, 22), (66, 25), (68, 21)), ((19, 24), (20, 26), (22, 24)),
        (("中国", 41), ("ベトナム", 12), ("インド", 9), ("モンゴル", 8), ("バングラデシュ", 7),
         ("その他（14カ国・地域）", 19)),
        19, 26, (21, 17, 9, 11), 1254, 109,
        (("アジア", 22), ("欧州", 12), ("北米", 6), ("中南米", 1), ("中東・アフリカ", 2), ("オセアニア", 2)),
        ("ベトナム", "インド"),
        (_o("サンノゼ", "米国", "北米", False),),
        (_c("コンピュータ理工学研究科", "情報システム学国際コース", "修士（コンピュータ理工学）", "平成21年度", 20),
         _c("コンピュータ理工学部", "英語学士プログラム", "学士（コンピュータ理工学）", "平成23年度", 20)),
        Plan((150, 230, 320), (60, 61, 62), (2, 3, 4), (30, 40, 60), (70, 70, 65, 65, 60)),
        ("シリコンバレー工科大学（米国）", "ハノイ情報技術大学（ベトナム）"),
        "アジア情報科学大学ネットワーク", "全職員を対象とする英語研修と、英語・日本語併記による学内文書の整備"),
    Institution(
        "D07", "港北工業大学", "私立", "関東", "森永 浩一", "副学長（国際連携担当） 石黒 直人",
        "ものづくり技術で結ぶ東南アジア工学教育ハブ", "ものづくり・環境エネルギー工学",
        "国際連携推進本部", 1,
        ((402, 98), (411, 104), (433, 112)), ((58, 79), (62, 83), (66, 89)),
        (("中国", 318), ("韓国", 87), ("タイ", 64), ("ベトナム", 48), ("インドネシア", 41), ("マレーシア", 23),
         ("その他（15カ国・地域）", 41)),
        21, 33, (8, 11, 9, 11), 17480, 824,
        (("アジア", 46), ("欧州", 12), ("北米", 8), ("中南米", 1), ("中東・アフリカ", 1), ("オセアニア", 3)),
        ("タイ", "ベトナム", "インドネシア"),
        (_o("バンコク", "タイ", "アジア", True), _o("ハノイ", "ベトナム", "アジア", False)),
        (_c("工学研究科", "東南アジア工学教育プログラム", "修士（工学）", "平成21年度", 30),
         _c("工学研究科", "環境エネルギー工学博士コース", "博士（工学）", "平成22年度", 10),
         _c("工学部", "グローバルエンジニアリング学科", "学士（工学）", "平成23年度", 40)),
        Plan((1100, 1700, 2650), (48, 58, 70), (3, 5, 7), (45, 70, 110), (200, 195, 190, 180, 170)),
        ("チャオプラヤ技術大学（タイ）", "ハノイ工科大学院（ベトナム）"),
        "東南アジア工学教育コンソーシアム", "海外拠点への職員の短期派遣（年4名）"),
    Institution(
        "D08", "青嶺大学", "私立", "中部", "長谷部 隆三", "学長補佐 杉浦 健",
        "地域と世界を結ぶ青嶺国際化推進構想", "経済・経営と地域産業との連携",
        "国際交流委員会", 0,
        ((221, 62), (228, 65), (247, 79)), ((44, 72), (48, 75), (52, 69)),
        (("中国", 836), ("韓国", 74), ("台湾", 29), ("ベトナム", 18), ("ネパール", 9), ("その他（4カ国）", 14)),
        9, 58, (12, 16, 8, 11), 19820, 1052,
        (("アジア", 31), ("欧州", 6), ("北米", 5), ("中南米", 0), ("中東・アフリカ", 0), ("オセアニア", 2)),
        ("中国", "ベトナム"),
        (_o("上海", "中国", "アジア", True),),
        (_c("経済学研究科", "国際経済コース", "修士（経済学）", "平成22年度", 15),),
        Plan((1200, 1500, 2000), (50, 52, 55), (1, 2, 3), (60, 70, 90), (150, 150, 150, 150, 150)),
        ("上海商業大学（中国）",),
        "（参加を検討中）", "外部の語学研修への参加を奨励する"),
)


def institution(proposal_id: str) -> Institution:
    return next(i for i in INSTITUTIONS if i.proposal_id == proposal_id)
