"""Which charset a file that is not UTF-8 is in: plausibility scores for the CJK charsets,
charset-normalizer for the others, a bias toward the region's charset (see the notes below).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from contact_notify.i18n import _
from contact_notify.readers.encoding import canonical

# Charsets that are one family: a detector naming one of them means the region's charset.
_FAMILIES = {
    "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "gb18030": "gb18030",
    "big5": "big5", "big5hkscs": "big5", "cp950": "big5",
    "shift_jis": "shift_jis", "cp932": "shift_jis",
    "euc_kr": "cp949", "cp949": "cp949",
}  # fmt: skip
# How much more "chaos" (charset-normalizer's mess measure) the region's charset may show than
# the detector's favourite and still be preferred: short samples often tie between CJK charsets.
REGION_BIAS = 0.05


_CJK_CHARSETS = frozenset({"gb18030", "big5", "big5hkscs", "shift_jis", "cp949"})


def _mostly_cjk(text: str) -> bool:
    """True when nearly all non-ASCII characters of a text are CJK ideographs, kana or hangul."""
    others = [ch for ch in text if not ch.isascii()]
    cjk = sum(
        1
        for ch in others
        if "\u3000" <= ch <= "\u9fff"
        or "\uac00" <= ch <= "\ud7af"
        or "\uff00" <= ch <= "\uffef"
        or ch >= "\U00020000"
    )
    return bool(others) and cjk >= 0.9 * len(others)


# Charsets a contact file may really be in; the detector is not asked about exotic ones
# (on short samples it otherwise picks johab or mac_greek).
CANDIDATES = [
    "gb18030", "big5", "shift_jis", "euc_jp", "cp949", "cp1250", "cp1251", "cp1252",
    "cp1253", "cp1254", "cp1257", "latin_1", "koi8_r",
]  # fmt: skip
# Which charsets to favour, in order, when the detector finds several about as plausible.
_PREFERENCE = {
    "gb18030": ("gb18030", "big5", "shift_jis", "cp949"),
    "big5": ("big5", "gb18030", "shift_jis", "cp949"),
    "big5hkscs": ("big5", "gb18030", "shift_jis", "cp949"),
    "shift_jis": ("shift_jis", "euc_jp", "gb18030", "big5", "cp949"),
    "cp949": ("cp949", "gb18030", "big5", "shift_jis"),
}

# --- Plausibility: which CJK charset reads the file as text people write --------------------
#
# Legacy CJK bytes usually decode without error in the wrong CJK charset: EUC-KR hangul
# (B0A1-C8FE) are GB2312 hanzi, Shift_JIS kanji are rare GBK hanzi, Big5 reads in GB18030 as a
# mix of hanzi, kana, Greek and private-use characters.  charset-normalizer cannot tell them
# apart on a short contact file, and a bias toward the region's charset then turned a Korean or
# Japanese list into GB18030 gibberish.  What gives a wrong reading away is what it reads as:
# characters nobody writes in a contact list.
#
# The plausibility of a reading (:func:`score`): decode the first SAMPLE_LIMIT bytes and sort
# every non-ASCII character into
#   common   a hanzi or kanji in COMMON_HAN (below); in a Japanese charset also hiragana and
#            katakana; in the Korean charset also a hangul syllable in COMMON_HANGUL;
#   neutral  spaces, punctuation (、。·), CJK marks (々), full-width ASCII (１３８) and
#            half-width katakana: they say nothing about the charset;
#   rare     everything else: other hanzi and hangul, kana or hangul in a Chinese reading,
#            Greek, Cyrillic, accented letters, symbols, box drawing, bopomofo, private-use
#            and control characters, and bytes that do not decode (U+FFFD).
# Its score is common / (common + rare); it is *plausible* when the score is at least
# PLAUSIBLE.  Contact lists score 0.85-1.0 in their own charset and 0.0-0.4 in another CJK
# charset (a Korean list read as GB18030 lands on random GB2312 hanzi, about a third of them in
# COMMON_HAN; a Chinese list read as EUC-KR on random hangul and hanja).
#
# COMMON_HAN holds about 2,150 characters: the most frequent characters of Chinese text, the
# commonest surnames and given-name characters of mainland China, Taiwan and Hong Kong, the
# words of contact lists (headers, groups, kinship terms and titles such as 妈妈, 王总, 张老师),
# each in simplified and traditional form, and the kanji of common Japanese surnames, given
# names and contact-list words (a character already listed is not repeated in a later group).
# COMMON_HANGUL holds about 500 syllables: common Korean surnames, given-name syllables,
# contact-list words and the syllables of everyday words.
#
# The choice (:func:`detect`), for a region whose charset is CJK:
#   * the region's charset, when its reading is plausible and no reading scores more than
#     REGION_MARGIN higher (short files often tie);
#   * else the best plausible reading (a tie goes to the region's order of preference);
#   * else, when no CJK reading is plausible, charset-normalizer's choice if it is a one-byte
#     charset that reads the sample with little chaos (Western or Cyrillic text), else the
#     region's charset.
# When two readings are plausible, or none is, the result carries a ``doubt``: a sentence that
# names the candidates with their scores and points to --encoding; the readers report it as a
# warning on line 1.  A file with fewer than MIN_EVIDENCE non-ASCII characters gives too little
# to judge (in every reading) and keeps the earlier rule: charset-normalizer, biased to the region.
#
# UTF-16 without a BOM is recognised before any of this, by shape (see ``encoding.sniff_bom``).

SAMPLE_LIMIT = 64 * 1024
PLAUSIBLE = 0.6
REGION_MARGIN = 0.15
MIN_EVIDENCE = 4

# The charsets whose readings are compared, by the region's charset; the first is the region's.
# EUC-JP only for Japan: it is rare elsewhere, and EUC-KR hangul read in it land on the
# common kanji of JIS level 1.
_READINGS = {
    "gb18030": ("gb18030", "big5", "shift_jis", "cp949"),
    "big5": ("big5", "gb18030", "shift_jis", "cp949"),
    "big5hkscs": ("big5hkscs", "gb18030", "shift_jis", "cp949"),
    "shift_jis": ("shift_jis", "euc_jp", "gb18030", "big5", "cp949"),
    "cp949": ("cp949", "gb18030", "big5", "shift_jis"),
}
_LANGUAGE = {
    "gb18030": "zh", "big5": "zh", "big5hkscs": "zh",
    "shift_jis": "ja", "euc_jp": "ja", "cp949": "ko",
}  # fmt: skip

COMMON_HAN = frozenset(
    # The most frequent characters of Chinese text (simplified).
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于"
    "着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还"
    "进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情"
    "明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或"
    "新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员"
    "解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太"
    "量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基"
    "眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交"
    "规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济"
    "车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调"
    "深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越"
    "器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历"
    "首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维"
    "革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧"
    "黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值"
    "仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印"
    "晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财"
    "环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担"
    "州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养"
    "伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央"
    "户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮"
    "露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移"
    "娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶"
    "春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣"
    "择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶"
    "玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌"
    "店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞"
    "努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱"
    "埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁"
    "伸摩盟末乃悲拍丁赵尺纷抢忆迟仪麦岭纽骂庆侠蓝"
    # The same, traditional forms.
    "這們來國時說對會發後過動當還進樣經現體開從實與長機兩問間無點業將關應戰頭見產義種"
    "於裡裏話門電員東聲報條氣題總邊區觀車親師傳萬書該農麼個讓識聽達專許設結給隊統數幾"
    "號歲資變質認導議運價樂歡錢視網際計單處準確華務調輕較記選隨術場黨歷請職顯顧飛權難"
    "構織積證陽陰優寶爾別錯誤團類據飯館廣縣鄉鎮鄰爭級離況亞約復線斷滿須寫稱嗎醫盡僅語"
    "響雖勢參眾節維劃敵態護興驗責營夠嚴緊絕圍鬥雙紀採舉殺蘇訴細願熱屬臉剛狀獨彈試腦誰"
    "陸勞財環納獲雲遊龍樹層衝範漢擔靜餘檢靈協徵揮勝階審堅媽劉讀壓銀買養懷執亂幫藝陣腳"
    "惡塊頓島託戶評釋貨聞臨壞討麗監艦魚雜灣減編測敗夢劍漸貴槍樓遺鬆謝魯慮銷鐘詩趕劇損"
    "舊錄葉禮婦歸額順輸搖脫補謂療澤滅筆鮮詞聖擇尋廠煙諾倫奧賣載園謀榮孫頂練爺礎紙諸訓"
    "莊絲戲隱訪軟薩夥盤擴蓋穩億擁楊齊賽虛購綠貿畢輪庫跡競棄偉緩潛閃燈絡傑築鄭貝吳圓擺"
    "毀趙紛搶憶遲儀麥嶺紐罵慶俠藍"
    # Surnames: mainland China, then the traditional forms of Taiwan and Hong Kong.
    "徐郭梁韩冯邓曹彭肖董袁潘蒋蔡杜魏吕沈姚卢姜崔谭汪廖贾韦邹孟熊秦邱尹薛闫侯陶黎贺郝"
    "龚邵覃戴孔汤樊葛邢乔伍庞颜倪聂岳翟殷詹耿焦俞柳甘祝符舒阮柯童凌季裴霍涂苗翁冉骆辛"
    "靳柴鲍喻祁蒲滕屈饶牟艾穆卓窦戚岑卜晏柏瞿桂臧闵卞巫桑郎甄仲虞敖池苑洪赖傅陳黃馬羅"
    "韓馮鄧蕭呂盧鍾譚賈韋鄒閆閻賀龔湯溫喬龐顏聶歐蘭寧駱鮑饒簡項連竇宮費衛閔賴蔣粘塗凃"
    # Characters of given names.
    "芳娜敏磊勇艳娟涛霞萍鹏辉晓燕丹婷浩斌辰琳欣怡佳俊涵梓轩琪萱晨婧颖倩嘉瑶雯璐佩芬芸"
    "慧惠娇琴珍珠凤莉莲蓉菊冬霖彬坤鑫铭锋峰岩鸿翔凯旋耀晖炜煜仁忠孝寿泰宏旭祥瑞旺昌贞"
    "淑贤婉柔洁芝莹晶瑾瑜璇玲珊妍媛娅妮霜彤紫翠晴朗琦毅豪锐帆栋楠竹荷桃娥鹤麟懿彦睿聪"
    "宸奕昊钰晟皓瀚烨钢锦绣仙岚薇蕾悦娴琼瑛瑗嫣姝婕妤彩虹曦昕霏雁泉润棋颂腾跃淼焱垚犇"
    "骉禄廉耻勤俭冠援佑俐俪凝姿寒峥廷慈敬曼淇炳玮祺羽菲萧遥隆霆靖韶驰鸣茹卿丞渝筠芊晗"
    "钧泓沛溪澜灏煊熙烁琛璟瑄璋祎禹秉竣笛筱粲绮绯缘翎聿芮苒茜莎莘菁萌蓓蔚谦轶逸铮阔雍"
    "霁韬颢飒馨骏強軍豔艷濤紅鵬輝曉穎瑤嬌鳳蓮銘鋒鴻凱壽貞賢潔純誠愛瑩婭銳棟樑鶴彥聰鈺"
    "燁繼鐵鋼錦繡嵐悅嫻瓊騰躍揚頌畫儉翰瑋祐綺綸鎂嫺薰靚嬋娉蓁珮羚妘軒鈞綾緯鈴鳴馳萊蕙"
    "蘋鸞驊駿麒"
    # Contact lists: headers, groups, kinship terms, titles, places of work.
    "码邮箱址宅昵姨叔舅婶奶婆爹妹媳丈嫂侄甥递幼铺厨碼組郵備註聯暱學領闆嬸兒姪遞險辦鋪"
    "廚繫"
    # Japanese: surnames, given names, contact-list words, the first kanji taught at school.
    "佐藤橋渡辺邉井斎齋崎岡遠坂斉浦横丸増杉塚菅桜沢浜濱広瀬堀荒関尾桐沼黒樋咲菜輔恵裕"
    "奈悠颯湊哉弘昭茂実拓翼涼葵凛芽穂携帯番仕僚姉営課様殿株円気毎読"
)
COMMON_HANGUL = frozenset(
    # Surnames, syllables of given names, contact-list words, everyday syllables.
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민"
    "진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은"
    "편용예경봉사부준훈수빈영희철호혜미상태재승규환아래솔별빛슬보람다가린시건율동형광"
    "숙순자애란춘말름휴대폰화번그룹메일직회책생족친료후교학거처빠머니버할누언내삼촌외"
    "님과리팀실의택집무핸드락바타에는로을으년를스저것있없되었했까요습해게만와들께터럼"
    "면데너라카파더러커퍼초코토포두루쿠투푸느르므브즈츠크트프흐디비치키티피히각간갈감"
    "갑개객걸검겨격견결계곡곤골관군굴궁귀균극근글급긴깨꼬꽃꾸끝낙난날납낭냉널네녀념녕"
    "녹논놀농뇌눈뉴늘능단달담답당댁덕던덜독돈돌둘득든등따때떠또뚜뜨랑랭략량런렁레려력"
    "련렬렴령례록론롱뢰룡륙률륭른릉림립막망매맥먼멀며멸목몰몽묘묵물밀발벌범법벽병복본"
    "북분불붕삭산살새색섬섭세속쇄술숭쉬식십싸쌍쓰씨악알암압앙액야약억얼업역열엽온올옹"
    "완욕욱운울웅월음읍응익입작잔잘잠잡쟁적절점접존졸종좌죄죽중즉증질징착찬찰참창척첨"
    "첩청체촉총축출충취측층칙칠침칭쾌탄탈탐탑탕통퇴특판팔패평폐폭품풍필합항핵행향헌험"
    "혁혈협혹혼확활획효훼휘흉흑흥힘"
)


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


def _neutral(ch: str) -> bool:
    """Spaces, punctuation, CJK marks, full-width ASCII and half-width katakana."""
    if "\u3000" <= ch <= "\u3007" or "\uff01" <= ch <= "\uff5e" or "\uff61" <= ch <= "\uff9f":
        return True
    return unicodedata.category(ch)[0] in "PZ"


def _common(ch: str, language: str) -> bool | None:
    """True for a common character of the language, None for a neutral one, else False."""
    if _is_han(ch):
        return ch in COMMON_HAN
    if "\u3041" <= ch <= "\u30ff" and ch != "\u30fb":  # the middle dot is punctuation
        return language in ("ja", "any")
    if "\uac00" <= ch <= "\ud7a3":
        return language in ("ko", "any") and ch in COMMON_HANGUL
    return None if _neutral(ch) else False


@dataclass(frozen=True)
class Reading:
    """How a sample reads in one charset: its common and rare characters (see above)."""

    charset: str
    common: int
    rare: int

    @property
    def score(self) -> float:
        """The share of common characters among common and rare ones (0 when there are none)."""
        counted = self.common + self.rare
        return self.common / counted if counted else 0.0

    @property
    def plausible(self) -> bool:
        """True when the reading looks like text people write in a contact list."""
        return self.score >= PLAUSIBLE


def bounded(sample: bytes, limit: int = SAMPLE_LIMIT) -> bytes:
    """At most ``limit`` bytes of a sample, cut after a line end so no character is split."""
    if len(sample) <= limit:
        return sample
    head = sample[:limit]
    cut = head.rfind(b"\n")
    return head[: cut + 1] if cut > limit // 2 else head


def score(sample: bytes, charset: str) -> Reading:
    """Count the common and rare characters of a sample decoded in ``charset`` (see above).

    The sample should be bounded (:func:`bounded`): this looks at every character.
    """
    language = _LANGUAGE.get(charset, "any")
    text = sample.decode(charset, errors="replace")
    common = rare = 0
    for ch, count in Counter(text).items():
        if ch.isascii():
            continue
        verdict = _common(ch, language)
        if verdict:
            common += count
        elif verdict is not None:
            rare += count
    return Reading(charset, common, rare)


class Detected(str):
    """A charset name, as a plain ``str``, that also says whether the detection was unsure.

    ``doubt`` is None when one reading stood out; else a sentence for the user that names
    the candidates with their scores and points to ``--encoding``.  ``readings`` are the
    CJK readings compared (empty when the decision was left to charset-normalizer).
    """

    doubt: str | None
    readings: tuple[Reading, ...]

    def __new__(
        cls, name: str, doubt: str | None = None, readings: tuple[Reading, ...] = ()
    ) -> Detected:
        self = super().__new__(cls, name)
        self.doubt = doubt
        self.readings = readings
        return self


def detect(sample: bytes, preferred: str) -> Detected:
    """The charset of text that is not UTF-8, biased to the region; see the notes above.

    ``preferred`` is the region's legacy charset (GB18030 for CN, Big5 for TW/HK,
    Shift_JIS for JP, CP949 for KR, see ``encoding.fallback_for``).  For a CJK region the
    candidates' readings of the sample are scored and the region's charset wins only when
    its reading is plausible; otherwise, and for other regions, charset-normalizer decides
    among the charsets it finds about as plausible as its favourite, in the region's order.
    """
    order = _READINGS.get(preferred)
    if order is None:
        return Detected(_detector_guess(sample, preferred))
    head = bounded(sample)
    readings = tuple(score(head, charset) for charset in order)
    region = readings[0]
    if max(r.common + r.rare for r in readings) < MIN_EVIDENCE:
        # Too little to judge: short contact files give any detector little to go on.
        if _mostly_cjk(sample.decode(preferred, errors="replace")):
            return Detected(preferred)
        return Detected(_detector_guess(sample, preferred))
    plausible = [r for r in readings if r.plausible]
    if plausible:
        best = max(plausible, key=lambda r: r.score)  # the first of equals: region's order
        chosen = region if region.plausible and region.score >= best.score - REGION_MARGIN else best
    else:
        one_byte = _one_byte_guess(sample)
        if one_byte is not None:
            return Detected(one_byte)  # Western or Cyrillic text: charset-normalizer knows those
        chosen = region
    return Detected(chosen.charset, _doubt(chosen, readings, plausible), readings)


def _doubt(chosen: Reading, readings: tuple[Reading, ...], plausible: list[Reading]) -> str | None:
    """The warning for an unsure detection, or None when one reading stood out."""
    if len(plausible) == 1:
        return None
    shown = plausible if plausible else sorted(readings, key=lambda r: -r.score)
    scores = ", ".join(f"{r.charset} {r.score:.0%}" for r in shown)
    others = [r.charset for r in shown if r.charset != chosen.charset]
    if plausible:
        doubt = _(
            "the encoding is a guess: several encodings read this file as text (common "
            "characters: {scores}); read as {charset}. If names look wrong, give the right one "
            "with --encoding (for example --encoding {other})"
        )
    else:
        doubt = _(
            "the encoding is a guess: no encoding reads this file as common text (common "
            "characters: {scores}); read as {charset}. If names look wrong, give the right one "
            "with --encoding (for example --encoding {other})"
        )
    return doubt.format(scores=scores, charset=chosen.charset, other=others[0])


# The most "chaos" (charset-normalizer's mess measure) a one-byte reading may show to be taken
# when no CJK reading is plausible.
ONE_BYTE_CHAOS = 0.1


def _one_byte_guess(sample: bytes) -> str | None:
    """charset-normalizer's favourite, when it is a one-byte charset that reads the sample cleanly."""
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=CANDIDATES).best()
    if best is None or best.chaos > ONE_BYTE_CHAOS:
        return None
    name = canonical(best.encoding)
    if name is None or _FAMILIES.get(name, name) in _CJK_CHARSETS | {"euc_jp"}:
        return None
    return name


def _detector_guess(sample: bytes, preferred: str) -> str:
    """charset-normalizer's guess; among charsets about as plausible as its favourite, the region's wins."""
    from charset_normalizer import from_bytes

    matches = from_bytes(sample, cp_isolation=CANDIDATES)
    best = matches.best()
    if best is None:
        return preferred
    family = _FAMILIES.get(preferred, preferred)
    close = {
        _FAMILIES.get(m.encoding, m.encoding)
        for m in matches
        if m.chaos <= best.chaos + REGION_BIAS
    }
    if family in close:
        return preferred
    for choice in _PREFERENCE.get(preferred, ()):
        if choice in close:
            return choice
    return canonical(best.encoding) or preferred
