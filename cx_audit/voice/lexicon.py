"""The words the text analysis knows (DESIGN §6): a brand's lexicon, its default, and the cue words.

A **term** is a word or phrase customers use, in Chinese or English, with what it is about (a
touchpoint and/or a dimension) and whether it is pain (−1) or pleasure (+1). A term of polarity 0
is an **aspect**: it names a place or a thing ("收银台", "service desk", "样机") and carries no
feeling; it lends its touchpoint to the feeling words near it, so "样机一半都是坏的" is pain at
the demo table although "坏" alone says nothing about where. Many feeling words name no touchpoint
(only a dimension), and that is fine: the aspect beside them does.

The cue words (negators, degree words, contrast words) are language, not brand vocabulary, so
they live here as constants rather than in the brand-editable lexicon. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

__all__ = [
    "CONCESSIVES",
    "CONTRASTS",
    "DEFAULT_TERMS",
    "DEGREES",
    "DIMENSIONS",
    "KEEP_WHOLE",
    "NEGATORS",
    "TOUCHPOINTS",
    "Term",
    "term_problems",
]

# The codes of the demo brand's framework; a brand with other codes passes its own to `term_problems`.
DIMENSIONS = ("product", "service", "relationship", "price", "convenience", "brand_image")
TOUCHPOINTS = (
    "store-locator", "map-listing", "shop-front", "window", "entrance", "sales-floor", "demo-table",
    "advice", "price-tags", "checkout", "setup", "follow-up", "member-app", "community", "outlet-phone",
    "online-booking", "service-desk", "diagnosis", "repair-updates", "pickup",
)  # fmt: skip

MAX_TEXT = 60  # LexiconTerm.text's column
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Term:
    """One lexicon entry. Hashable, so a lexicon (a tuple of terms) keys the tagger cache."""

    text: str
    polarity: int  # +1 pleasure, -1 pain, 0 an aspect (names where, feels nothing)
    weight: float = 1.0
    touchpoint: str = ""
    dimension: str = ""


def term_problems(
    term: Term, *, touchpoints: Collection[str] = (), dimensions: Collection[str] = ()
) -> list[str]:
    """What is wrong with a term, in words a brand admin can act on (empty: nothing).

    The codes are checked against the brand's when given: a touchpoint the framework does not
    have would tag comments nobody can find on a page.
    """
    problems = []
    text = term.text
    if not text.strip() or text != text.strip():
        problems.append("The term must be non-blank, without leading or trailing spaces.")
    if len(text) > MAX_TEXT:
        problems.append(f"Keep the term under {MAX_TEXT} characters.")
    if term.polarity not in (-1, 0, 1):
        problems.append("Polarity is −1 (pain), +1 (pleasure) or 0 (an aspect).")
    if not 0.1 <= term.weight <= 10:
        problems.append("The weight is between 0.1 and 10.")
    if term.polarity == 0 and not (term.touchpoint or term.dimension):
        problems.append("An aspect must name a touchpoint or a dimension.")
    for code, known, what in (
        (term.touchpoint, touchpoints, "touchpoint"),
        (term.dimension, dimensions, "dimension"),
    ):
        if code and (not _CODE.match(code) or (known and code not in known)):
            problems.append(f"Unknown {what} {code!r}.")
    return problems


def _words(text: str) -> list[str]:
    return text.split()


# Negation flips the polarity of a term that follows within a short window ("不热情", "not
# friendly"). The factor scales the weight: a softened negation ("不太满意") hurts less than a
# plain one, an emphatic one ("一点也不专业") more.
NEGATORS: dict[str, float] = {
    **dict.fromkeys(
        _words(
            "不 没 没有 无 未 别 非 毫无 毫不 并不 并没有 从不 从没 从未 从来不 从来没有 绝不 根本不 "
            "根本没有 没人 没有人 没什么 不会 不用 不必 无需 无法 不能 不让 不给 不肯 不算 不再"
        ),
        1.0,
    ),
    # A promise in a comment is usually a broken one: "说好三天内回电话" was no call back.
    **dict.fromkeys(_words("说好 说好的 答应 承诺 promised supposed"), 1.0),
    **dict.fromkeys(_words("不太 不够 不是很 不怎么 不大 不那么"), 0.7),
    **dict.fromkeys(_words("一点也不 一点都不 完全不 一点也没 一点都没"), 1.3),
    **dict.fromkeys(
        _words(
            "not no never nobody none nothing neither nor hardly barely without cannot lack don't "
            "doesn't didn't isn't wasn't aren't weren't won't wouldn't can't couldn't haven't hasn't "
            "hadn't shouldn't dont doesnt didnt isnt wasnt arent werent wont cant couldnt"
        ),
        1.0,
    ),
    "no one": 1.0,
    "not very": 0.7,
    "not that": 0.7,
    "not really": 0.7,
    "not at all": 1.3,
    "not even": 1.3,
}

# Degree words scale the weight of the term they follow in the text ("很热情", "extremely rude").
DEGREES: dict[str, float] = {
    **dict.fromkeys(_words("很 挺 蛮 真 好好 比较 还算"), 1.2),
    **dict.fromkeys(_words("非常 太 特别 超 超级 极其 十分 相当 真的 实在 巨 贼 极 最 尤其 格外"), 1.5),
    **dict.fromkeys(_words("有点 有些 稍微 略 略微 稍 一点 有一点"), 0.6),
    **dict.fromkeys(_words("very really so too quite pretty truly"), 1.3),
    **dict.fromkeys(_words("extremely incredibly super absolutely totally terribly awfully highly"), 1.6),
    **dict.fromkeys(_words("slightly somewhat bit little rather fairly"), 0.6),
    "a bit": 0.6,
    "a little": 0.6,
    "way too": 1.6,
}

# Contrast words end a clause, as punctuation does ("friendly, but the queue…"); what follows
# "but" is what the customer means, what precedes a concession ("although …") matters less.
CONTRASTS = frozenset(_words("but however yet whereas 但 但是 可是 不过 然而 就是 只是 却"))
CONCESSIVES = frozenset(_words("although though 虽然 虽说 尽管"))

# Chinese words jieba must keep whole so that a one-character term inside them is not read:
# "叫了好几次" is not "好", "等等" is not "等".
KEEP_WHOLE = frozenset(
    _words("好几 好几次 好多 好像 好在 好久 好些 等等 等到 等于 理由 理解 处理 办理 管理 修改")
)


# A starting lexicon for a Chinese mobile-phone retail chain, Chinese and English side by side;
# brands copy it (`lexicon_seed`) and edit their copy. One group a line: polarity (+1 pleasure,
# −1 pain, 0 aspect), touchpoint, dimension ("-": none), weight, then the terms, "|" between them;
# an indented line continues the group above.
_DEFAULT = """
# — staff: selling and knowing (advice); attitude is service wherever it is met, and the aspect
#   beside it ("店员", "service desk") says where
+1 advice         service      1   专业|懂行|讲解清楚|professional|knowledgeable|explained|honest advice
-1 advice         service      1   推销|强行推销|强卖|忽悠|误导|套路|一问三不知|一直跟着|pushy|hard sell|
                                   upsell|followed me around|pressure|misleading|misled|clueless
+1 -              service      1   热情|耐心|细心|周到|友好|亲切|客气|有礼貌|礼貌|认真|负责|诚恳|真诚|
                                   实在|用心|理|理睬|搭理|到位|详细|帮忙|friendly|helpful|patient|polite|
                                   courteous|attentive|kind|honest|patiently|welcoming|respectful|
                                   detailed|helped
-1 -              service      1   冷漠|冷淡|爱答不理|爱理不理|不耐烦|敷衍|傲慢|玩手机|rude|unfriendly|
                                   unhelpful|impatient|unprofessional|dismissive|ignore|arrogant|
                                   condescending|chatting
# — entrance
+1 entrance       service      1   打招呼|迎接|欢迎光临|接待|welcomed|greet
-1 entrance       convenience  1   进不去
# — checkout and price tags
-1 checkout       convenience  1   排队|排长队|queue|line up
-1 checkout       price        1   多收|算错|收错|少找|overcharge
-1 price-tags     price        1   乱收费|隐形收费|额外收费|加价|标价不符|价格不一致|宰客|被宰|
                                   hidden charge|hidden fee|extra charge|surcharge|without telling
+1 price-tags     price        1   明码标价|clear prices|clearly priced
# — price in general
-1 -              price        1   贵|太贵|偏贵|不值|价格高|坑人|被坑|expensive|pricey|overpriced|
                                   rip-off|ripoff|too low
+1 -              price        1   便宜|划算|实惠|优惠|免费|值得|性价比高|公道|合理|透明|cheap|good deal|
                                   good value|great value|bargain|discount|fair price|reasonable|
                                   transparent|free
# — setup and follow-up
-1 setup          service      1   贴歪|气泡|crooked|bubbles|messed up
+1 follow-up      relationship 1   回访|跟进|回电话|回电|通知|call back|call me back|got back to me|
                                   kept me informed|kept me posted|follow up on
-1 follow-up      relationship 1   打扰|骚扰|pestered|harassed|chase
# — repairs
-1 diagnosis      product      1   修不好|没修好|返修|同样的问题|误诊|还是不行|still broken|same fault|
                                   same problem|wrong diagnosis|not fixed
+1 diagnosis      product      1   修好|fixed|repaired properly
-1 repair-updates relationship 1   没消息|没有消息|heard nothing|no news|no word
+1 repair-updates relationship 1   更新|update|track
-1 service-desk   service      1   推三阻四|为难|刁难|推诿|扯皮
+1 service-desk   service      1   爽快|痛快|hassle-free|no questions asked
# — the store
+1 sales-floor    brand_image  1   干净|整洁|宽敞|明亮|clean|tidy|spacious|bright|pleasant|
                                   nice environment
-1 sales-floor    brand_image  1   脏|乱|挤|拥挤|吵|嘈杂|闷|人多|dirty|messy|crowded|cramped|noisy|loud|
                                   stuffy
+1 demo-table     product      1   随便试|play with|hands-on
+1 -              brand_image  1   漂亮|好看|吸引|显眼|eye-catching|attractive|beautiful|looks great
-1 window         brand_image  1   灰|过时|dusty|outdated|out of date
+1 store-locator  convenience  1   好找|easy to find
-1 store-locator  convenience  1   难找|角落|hard to find|hidden
-1 map-listing    convenience  1   搬走|关门|wrong address
+1 map-listing    convenience  1   准确|accurate|spot on
-1 outlet-phone   convenience  1   没人接|占线|打不通|nobody answered|no answer
+1 outlet-phone   convenience  1   帮我留|answered|put aside
-1 online-booking convenience  1   没有预约记录|no record
-1 member-app     convenience  1   报错|闪退|用不了|crash|expired
-1 community      relationship 1   刷屏|退群|spam
+1 community      relationship 1   有趣|great fun|fun
# — the product
+1 -              product      1   正品|原装|质量好|好用|流畅|没问题|没有问题|genuine|original|
                                   great quality|works fine|worked perfectly|works perfectly
-1 -              product      1   卡顿|死机|发热|发烫|耗电|坏|坏了|故障|有问题|出问题|质量问题|毛病|
                                   假货|水货|翻新机|翻新|二手|山寨|过期|裂|质量差|丢了|丢失|失败|划痕|
                                   fake|counterfeit|refurbished|knock-off|second-hand|lag|laggy|froze|
                                   freezes|faulty|defective|broken|cracked|scratch|problem|fault|
                                   poor quality|dead|died|lost|failed
# — how it felt, whatever it was about
+1 -              -            1   满意|好评|五星|惊喜|开心|放心|不错|好|棒|赞|完美|优秀|舒服|舒适|感谢|
                                   谢谢|省心|合适|规范|解决|satisfied|happy|great|excellent|amazing|
                                   awesome|brilliant|perfect|good|nice|fantastic|wonderful|love|thank|
                                   reassuring|peace of mind|pleasantly surprised|nice touch|impressed|
                                   thoughtful|solved|resolved|suits me|suited
-1 -              -            1   失望|差评|差|太差|糟糕|垃圾|骗|骗子|烦|麻烦|郁闷|生气|气人|无语|投诉|
                                   后悔|不行|没了|不符|不一致|拒绝|disappointed|disappointing|terrible|
                                   awful|horrible|bad|poor|worst|ridiculous|annoying|annoyed|frustrating|
                                   waste|useless|mess|nightmare|unacceptable|complained|impossible|
                                   refuse
+1 -              relationship 1   贴心|提醒|下次还来|再来|推荐给|回头客|reminder|come back|coming back|
                                   recommend it
+1 -              -            0.5 还行|还可以|ok|okay|fine
-1 -              -            0.5 一般|一般般|meh|so-so|average|nothing special
+1 -              convenience  1   快|方便|顺利|便捷|快捷|高效|及时|简单|清楚|quick|fast|easy|smooth|
                                   efficient|prompt|convenient|clear|clearly|short|quickly
-1 -              convenience  1   慢|久|太久|拖|拖延|白跑|白跑一趟|busy|slow|long|delay|hard|difficult|
                                   hassle|wasted trip
-1 -              convenience  0.7 等|wait
# — aspects: where the feeling is, no feeling of their own
0  advice         service      1   店员|导购|销售|营业员|讲解|推荐|介绍|staff|salesman|saleswoman|
                                   salesperson|sales staff|assistant|employee|advice|recommended|
                                   recommendation
0  entrance       -            1   进门|进店|一进门|门口|保安|入口|entrance|door|walked in|
                                   security guard
0  checkout       -            1   结账|付款|收银|收银台|收银员|买单|刷卡|扫码|支付|分期|发票|pay|
                                   payment|till|cashier|checkout|invoice|receipt|instalment|installment|
                                   card machine
0  price-tags     price        1   标签|价签|标价|价格标签|服务费|price tag|price label|label|tag|fee
0  setup          -            1   数据|数据迁移|贴膜|激活|设置|换机|data|data transfer|screen protector|
                                   set up|setup|activation|transfer
0  follow-up      relationship 1   回访电话|联系|follow-up|follow-up call|feedback call
0  diagnosis      -            1   检测|维修|修|报价|换屏|换电池|主板|刷机|repair|diagnosis|diagnostics|
                                   quote|battery swap|screen repair
0  repair-updates -            1   进度|维修进度|短信|status|repair status|text
0  service-desk   -            1   售后台|服务台|售后服务台|售后人员|前台|退货|无理由退货|换货|退换|
                                   service desk|service desk staff|desk|counter|return|exchange
0  pickup         -            1   取机|取货|提货|领取|pickup|pick up|picked up|collect|collection
0  sales-floor    brand_image  1   店面|店内|环境|音乐|environment|music
0  demo-table     product      1   样机|体验区|展示机|试用|试玩|真机|demo|demo table|display model|tried
0  window         brand_image  1   橱窗|海报|window|window display|posters
0  shop-front     brand_image  1   门头|招牌|店招|shop front|storefront|signage
0  store-locator  convenience  1   位置|指示牌|路标|location|signs
0  map-listing    convenience  1   地图|导航|地址|营业时间|高德|大众点评|map|directions|address|
                                   opening hours|listing|listed
0  outlet-phone   convenience  1   电话|打电话|热线|客服热线|hotline|on the phone|called the store
0  online-booking convenience  1   预约|网上预约|线上预约|booking|booked|appointment|slot
0  member-app     relationship 1   app|积分|会员|优惠券|会员日|小程序|points|coupon|member|membership|
                                   member day|mini program
0  community      relationship 1   社群|群|粉丝|花粉|粉丝活动|沙龙|meetup|event|wechat group|fan|club
0  -              product      1   质量|产品|quality|product
0  -              price        1   价格|价钱|price
"""


def _parse(table: str) -> tuple[Term, ...]:
    terms: list[Term] = []
    head: tuple[int, str, str, float] = (0, "", "", 1.0)
    for line in table.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words = line
        if not line[0].isspace():
            polarity, touchpoint, dimension, weight, words = line.split(maxsplit=4)
            head = (int(polarity), touchpoint.strip("-"), dimension.strip("-"), float(weight))
        terms += [
            Term(word.strip(), head[0], head[3], head[1], head[2])
            for word in words.split("|")
            if word.strip()
        ]
    return tuple(terms)


DEFAULT_TERMS: tuple[Term, ...] = _parse(_DEFAULT)
