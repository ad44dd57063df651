"""What the demo's customers write: clause templates per touchpoint, in Chinese and English.

A template fills its slots at random (`compose`): ``[a|b]`` picks one of words that are terms of
the default lexicon (`cx_audit.voice.lexicon.DEFAULT_TERMS`; a test checks every one), so the
comments speak the vocabulary the text analysis knows; ``{deg+}``, ``{deg-}`` and ``{neg}`` pick
a degree word or a negator (the analysis's cue words); ``{a|b}`` picks free words. Pain is said
directly ("店员太冷淡") or by negating a pleasure ("店员不够耐心", "nobody greeted us").
"""

from __future__ import annotations

import random
import re

ZH, EN = "zh", "en"
PAIN, PLEASURE = -1, 1

CUES = {
    ZH: {
        "deg+": ("", "", "很", "非常", "特别", "超"),
        "deg-": ("", "太", "非常", "特别", "有点"),
        "neg": ("不", "不太", "不够", "一点也不", "并不"),
    },
    EN: {
        "deg+": ("", "", "very ", "really ", "so "),
        "deg-": ("", "very ", "really ", "extremely ", "a bit "),
        "neg": ("not", "not very", "hardly"),
    },
}

# touchpoint → (language, polarity, template) …; the touchpoint is the one the clause is about.
PHRASES: dict[str, tuple[tuple[str, int, str], ...]] = {
    "entrance": (
        (ZH, PAIN, "[进门]{没有人|没人}[打招呼]"),
        (ZH, PLEASURE, "[一进门]就有人[打招呼]，{deg+}[热情]"),
        (EN, PAIN, "Nobody [greeted] us at the [door]"),
        (EN, PLEASURE, "We were [greeted] right away at the [entrance]"),
    ),
    "advice": (
        (ZH, PAIN, "[店员]{deg-}[冷淡|冷漠|敷衍|不耐烦]"),
        (ZH, PAIN, "[导购]一直在[玩手机]，{没有人|没人}[理]我"),
        (ZH, PAIN, "[销售]{neg}[专业|耐心|热情]"),
        (ZH, PAIN, "[店员]一直[强行推销]配件"),
        (ZH, PLEASURE, "[店员]{deg+}[热情|耐心|专业|细心]"),
        (ZH, PLEASURE, "[导购]帮我对比了几款手机，{deg+}[耐心]"),
        (EN, PAIN, "The [staff] were {deg-}[rude|unfriendly|unhelpful|dismissive]"),
        (EN, PAIN, "The [salesperson] was {neg} [helpful|friendly|patient]"),
        (EN, PAIN, "The [assistant] was {deg-}[pushy] about accessories"),
        (EN, PLEASURE, "The [staff] were {deg+}[friendly|helpful|patient|knowledgeable]"),
        (EN, PLEASURE, "The [salesperson] [explained] the plans {deg+}[clearly]"),
    ),
    "sales-floor": (
        (ZH, PAIN, "{店里|店内}{deg-}[挤|吵|乱|闷]"),
        (ZH, PLEASURE, "{店里|店内}{deg+}[干净|整洁|宽敞|明亮]"),
        (EN, PAIN, "The {store|shop} was {deg-}[crowded|noisy|messy|stuffy]"),
        (EN, PLEASURE, "The {store|shop} was {deg+}[clean|spacious|bright|tidy]"),
    ),
    "demo-table": (
        (ZH, PAIN, "[样机]一半都是[坏]的"),
        (ZH, PAIN, "[体验区]的[样机]{deg-}[卡顿]"),
        (ZH, PLEASURE, "[体验区]可以[随便试]，{deg+}[方便]"),
        (EN, PAIN, "Half the [demo] phones were [broken]"),
        (EN, PAIN, "The [demo] units were {deg-}[laggy]"),
        (EN, PLEASURE, "I could [play with] the [demo] phones freely"),
    ),
    "price-tags": (
        (ZH, PAIN, "有[隐形收费]，[服务费]没提前说"),
        (ZH, PAIN, "[价签]和实际[标价不符]"),
        (ZH, PLEASURE, "[明码标价]，{deg+}[透明]"),
        (EN, PAIN, "They added an [extra charge] [without telling] me"),
        (EN, PAIN, "They charged a [hidden fee] nobody mentioned"),
        (EN, PLEASURE, "[Clear prices] on every [price tag]"),
    ),
    "checkout": (
        (ZH, PAIN, "[收银台][排长队]，等了半个多小时"),
        (ZH, PAIN, "[付款]{特别|非常|有点}[慢]"),  # "太慢" is one jieba word
        (ZH, PAIN, "[收银员][算错]了钱"),
        (ZH, PLEASURE, "[结账]{非常|超|}[快]"),  # and so is "很快"
        (ZH, PLEASURE, "[付款]{deg+}[方便]，[扫码]就行"),
        (EN, PAIN, "The [queue] at the [till] was {deg-}[long]"),
        (EN, PAIN, "[Checkout] was {deg-}[slow]"),
        (EN, PAIN, "The [cashier] [overcharged] me"),
        (EN, PLEASURE, "[Checkout] was {deg+}[quick|fast|smooth]"),
    ),
    "setup": (
        (ZH, PAIN, "[贴膜][贴歪]了还有[气泡]"),
        (ZH, PAIN, "[数据迁移][失败]了，照片都[丢了]"),
        (ZH, PLEASURE, "[数据迁移]{deg+}[顺利]"),
        (EN, PAIN, "The [screen protector] was [crooked] with [bubbles]"),
        (EN, PAIN, "The [data transfer] [failed] and I [lost] photos"),
        (EN, PLEASURE, "The [data transfer] was {deg+}[smooth]"),
    ),
    "follow-up": (
        (ZH, PAIN, "等了一周{一直没有|也没有}人[回电话]"),
        (ZH, PLEASURE, "第二天就有[回访]，{deg+}[用心]"),
        (EN, PAIN, "They {never} [called back] as promised"),
        (EN, PLEASURE, "They [called back] the next day to check"),
    ),
    "member-app": (
        (ZH, PAIN, "[app]{老是|一直}[闪退]"),
        (ZH, PAIN, "[会员][积分][用不了]"),
        (ZH, PLEASURE, "[会员日]的[优惠]{deg+}[划算]"),
        (EN, PAIN, "The [app] keeps [crashing]"),
        (EN, PAIN, "My [coupon] had [expired] already"),
        (EN, PLEASURE, "Redeeming [points] in the [app] was {deg+}[easy]"),
    ),
    "outlet-phone": (
        (ZH, PAIN, "打门店[电话]一直[没人接]"),
        (ZH, PLEASURE, "打门店[电话]问库存，[帮我留]了一台"),
        (EN, PAIN, "[Called the store] twice, [nobody answered]"),
        (EN, PLEASURE, "[Called the store] and they [put aside] a phone for me"),
    ),
    "service-desk": (
        (ZH, PAIN, "[售后台][推三阻四]，[退货]{deg-}[麻烦]"),
        (ZH, PLEASURE, "[换货]{deg+}[爽快]"),
        (EN, PAIN, "The [service desk] made the [return] {deg-}[difficult]"),
        (EN, PLEASURE, "The [exchange] was [hassle-free]"),
    ),
    "diagnosis": (
        (ZH, PAIN, "[维修]了两次还是[修不好]"),
        (ZH, PAIN, "[检测][误诊]，[报价]{deg-}[贵]"),
        (ZH, PAIN, "[换屏]后又出现[同样的问题]"),
        (ZH, PLEASURE, "[检测]完当天就[修好]了"),
        (EN, PAIN, "After the [repair] it is [still broken]"),
        (EN, PAIN, "The [quote] for the [screen repair] was {deg-}[expensive]"),
        (EN, PLEASURE, "The [screen repair] took an hour and [fixed] everything"),
    ),
    "repair-updates": (
        (ZH, PAIN, "[维修进度]一直[没有消息]"),
        (ZH, PLEASURE, "[短信][更新][维修进度]，{deg+}[及时]"),
        (EN, PAIN, "A week later still [no news] on the [repair status]"),
        (EN, PLEASURE, "Regular [updates] by [text] on the [repair status]"),
    ),
    "pickup": (
        (ZH, PAIN, "[取机]又[等]了一个小时"),
        (ZH, PLEASURE, "网上下单到店[提货]{deg+}[方便]"),
        (EN, PAIN, "[Pickup] was a [wasted trip], the order was not there"),
        (EN, PLEASURE, "[Collection] was {deg+}[quick]"),
    ),
    "store-locator": (
        (ZH, PAIN, "店在商场[角落]，{deg-}[难找]"),
        (ZH, PLEASURE, "[位置]{deg+}[好找]"),
        (EN, PAIN, "It was {deg-}[hard to find]"),
        (EN, PLEASURE, "[Easy to find], right by the metro"),
    ),
    "window": (
        (ZH, PAIN, "[橱窗][海报]{deg-}[过时]"),
        (ZH, PLEASURE, "[橱窗]{deg+}[漂亮]"),
        (EN, PAIN, "The [window display] looked [dusty]"),
        (EN, PLEASURE, "The [window display] is {deg+}[eye-catching]"),
    ),
}

# How a comment may open or close, about the visit as a whole.
OVERALL: tuple[tuple[str, int, str], ...] = (
    (ZH, PLEASURE, "整体{deg+}[满意]"),
    (ZH, PLEASURE, "[下次还来]"),
    (ZH, PLEASURE, "已经[推荐给]朋友了"),
    (ZH, PAIN, "{deg-}[失望]"),
    (ZH, PAIN, "[差评]"),
    (ZH, PAIN, "以后不会[再来]了"),
    (EN, PLEASURE, "Overall {deg+}[satisfied]"),
    (EN, PLEASURE, "Would [recommend it] to friends"),
    (EN, PAIN, "{deg-}[disappointed]"),
    (EN, PAIN, "A [terrible] experience"),
    (EN, PAIN, "I won't be [coming back]"),
)

# Comments without a feeling word: the analysis should tag nothing.
NEUTRAL = {
    ZH: ("买了一台新手机给我妈", "来换了个手机壳", "周末带孩子来逛了逛"),
    EN: ("Bought a phone for my mum", "Came in for a phone case", "Just looked around on Sunday"),
}

_SLOT = re.compile(r"\[([^\]]+)\]|\{([^}]+)\}")


def fill(template: str, language: str, rng: random.Random) -> str:
    """One clause from a template, its slots drawn from ``rng``."""

    def pick(match: re.Match[str]) -> str:
        words, free = match.groups()
        if words:
            return rng.choice(words.split("|"))
        return rng.choice(CUES[language].get(free) or free.split("|"))

    return _SLOT.sub(pick, template)


def lexicon_words() -> set[str]:
    """Every word the templates take from the lexicon (lower case), for the test that checks them."""
    templates = [t for phrases in PHRASES.values() for _l, _p, t in phrases] + [t for _l, _p, t in OVERALL]
    return {
        word.lower()
        for t in templates
        for words in re.findall(r"\[([^\]]+)\]", t)
        for word in words.split("|")
    }


def clauses(touchpoint: str, language: str, polarity: int) -> tuple[str, ...]:
    return tuple(t for lang, pol, t in PHRASES.get(touchpoint, ()) if lang == language and pol == polarity)


def join(parts: list[str], language: str, rng: random.Random) -> str:
    """Clauses as a customer writes them: "，" and "。"/"！" in Chinese, sentences in English."""
    if language == ZH:
        return "，".join(parts) + rng.choice(("。", "！", "", "。"))
    return ". ".join(part[:1].upper() + part[1:] for part in parts) + rng.choice((".", "!", "."))
