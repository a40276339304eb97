"""English names of the GB/T 2260 regions, for the English pages: the provinces by their usual English names
(Hunan, Guangxi, Inner Mongolia, Hong Kong SAR), cities and counties in Hanyu Pinyin with their kind in English
(Changsha, Furong District, Liuyang City, Xiangxi Tujia-Miao Autonomous Prefecture). Computed once, when the
reference data is loaded (core.reference.load_regions), and stored on the region (Region.name_en), which an
administrator may correct; pages never compute them."""

from __future__ import annotations

import re

PROVINCES = {
    "11": "Beijing",
    "12": "Tianjin",
    "13": "Hebei",
    "14": "Shanxi",
    "15": "Inner Mongolia",
    "21": "Liaoning",
    "22": "Jilin",
    "23": "Heilongjiang",
    "31": "Shanghai",
    "32": "Jiangsu",
    "33": "Zhejiang",
    "34": "Anhui",
    "35": "Fujian",
    "36": "Jiangxi",
    "37": "Shandong",
    "41": "Henan",
    "42": "Hubei",
    "43": "Hunan",
    "44": "Guangdong",
    "45": "Guangxi",
    "46": "Hainan",
    "50": "Chongqing",
    "51": "Sichuan",
    "52": "Guizhou",
    "53": "Yunnan",
    "54": "Xizang",
    "61": "Shaanxi",
    "62": "Gansu",
    "63": "Qinghai",
    "64": "Ningxia",
    "65": "Xinjiang",
    "71": "Taiwan",
    "81": "Hong Kong SAR",
    "82": "Macao SAR",
}

# Longest first: "自治州" before "州", "新区" before "区".
_KINDS = (
    ("特别行政区", " SAR"),
    ("自治州", " Autonomous Prefecture"),
    ("自治县", " Autonomous County"),
    ("自治旗", " Autonomous Banner"),
    ("林区", " Forestry District"),
    ("新区", " New Area"),
    ("地区", " Prefecture"),
    ("矿区", " Mining District"),
    ("特区", " Special District"),
    ("区", " District"),
    ("县", " County"),
    ("旗", " Banner"),
    ("盟", " League"),
    ("市", " City"),
)
# The ethnic groups named before 自治州 / 自治县 / 自治旗, longest first ("蒙古" before "土"): "湘西土家族苗族" is
# "Xiangxi" with the Tujia and Miao.
_ETHNIC_NAMES = (
    "土家",
    "苗",
    "侗",
    "瑶",
    "壮",
    "回",
    "藏",
    "蒙古",
    "维吾尔",
    "彝",
    "布依",
    "朝鲜",
    "满",
    "白",
    "哈尼",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "哈萨克",
    "各",
)
_ETHNIC_GROUPS = sorted(_ETHNIC_NAMES, key=len, reverse=True)
# Where the group's usual romanisation is not the characters' first reading.
_ETHNIC_PINYIN = {"藏": "Zang"}
# Placeholder entries of the standard that group a province's or a city's directly administered units.
_SPECIAL = {
    "省直辖县级行政区划": "County-level divisions under the province",
    "自治区直辖县级行政区划": "County-level divisions under the region",
    "市辖区": "City districts",
    "县": "Counties",
}
_VOWEL = re.compile(r"^[aoe]")


def pinyin_word(text: str) -> str:
    """ "长沙" → "Changsha", "西安" → "Xi'an" (an apostrophe before a syllable that starts with a vowel)."""
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(text, errors="ignore") if s]
    word = ""
    for syllable in syllables:
        if word and _VOWEL.match(syllable):
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]


def english_region_name(code: str, name: str, level: str) -> str:
    """The English name of one region ("" for the national root, which the catalogue translates)."""
    if level == "national":
        return ""
    if level == "province":
        return PROVINCES.get(code[:2], pinyin_word(name))
    if name in _SPECIAL:
        return _SPECIAL[name]
    stem, kind = name, ""
    for chinese, english in _KINDS:
        if name.endswith(chinese) and len(name) > len(chinese):
            stem, kind = name[: -len(chinese)], english
            break
    # A prefecture-level city is known by its name alone ("Changsha"); a county-level one keeps "City".
    if level == "city" and kind == " City":
        kind = ""
    groups: list[str] = []
    if "自治" in name:
        stem, groups = _split_ethnic(stem)
    if groups:
        return f"{pinyin_word(stem)} {'-'.join(_ETHNIC_PINYIN.get(g) or pinyin_word(g) for g in groups)}{kind}"
    return f"{pinyin_word(stem)}{kind}"


def _split_ethnic(stem: str) -> tuple[str, list[str]]:
    """ "湘西土家族苗族" → ("湘西", ["土家", "苗"]): the groups are read off the end, each ending in 族."""
    groups: list[str] = []
    while stem.endswith("族"):
        rest = stem[:-1]
        group = next((g for g in _ETHNIC_GROUPS if rest.endswith(g) and len(rest) > len(g)), None)
        if group is None:
            break
        groups.insert(0, group)
        stem = rest[: -len(group)]
    return stem, [g for g in groups if g != "各"]
