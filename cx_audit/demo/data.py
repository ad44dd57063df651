"""The demo chain as plain data: one consumer-electronics brand, its outlets and its framework.

`manage.py seed_demo` turns this into rows (see `cx_audit.demo.seeding`). The data is
meant to look like a real chain so the demo tells the DESIGN §2 story on its own: direct
stores only in tier-1 cities (with one deliberate policy exception in Luoyang), authorized
dealers everywhere else, and a framework whose items hold the two outlet types to different
standards — signage wording, demo units, price bands, staffing and after-sales.

Coordinates are real city centres; the seed spreads each city's stores a little around it.
Companies, people, phone numbers and e-mail addresses are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

from cx_audit.core.choices import Role
from journeys.models import AnswerType, Channel, Phase
from locations.models import LocationStatus, OutletType

DEMO_PASSWORD = "demo-pass-2026"

DIRECT = OutletType.DIRECT
AUTHORIZED = OutletType.AUTHORIZED
PLANNED = LocationStatus.PLANNED
TEMPORARILY_CLOSED = LocationStatus.TEMPORARILY_CLOSED
CLOSED = LocationStatus.CLOSED


# --- the brand and its geography --------------------------------------------------------------


@dataclass(frozen=True)
class BrandSpec:
    slug: str
    name: str
    direct_max_city_tier: int


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class CitySpec:
    """A city the brand sells in; its stores share its tier and region."""

    key: str  # the prefix of its location codes
    name: str
    tier: int
    latitude: str
    longitude: str
    region: str


BRAND = BrandSpec(slug="aurora", name="Aurora Mobile", direct_max_city_tier=1)

# Parents come before their children, so the seed can create them in this order.
REGIONS: tuple[RegionSpec, ...] = (
    RegionSpec("CN", "China"),
    RegionSpec("CN-N", "North China", "CN"),
    RegionSpec("CN-E", "East China", "CN"),
    RegionSpec("CN-S", "South China", "CN"),
    RegionSpec("CN-W", "West China", "CN"),
    RegionSpec("CN-C", "Central China", "CN"),
    RegionSpec("CN-N-BJ", "Beijing", "CN-N"),
    RegionSpec("CN-N-SD", "Shandong", "CN-N"),
    RegionSpec("CN-E-SH", "Shanghai", "CN-E"),
    RegionSpec("CN-E-JS", "Jiangsu", "CN-E"),
    RegionSpec("CN-E-ZJ", "Zhejiang", "CN-E"),
    RegionSpec("CN-S-GD", "Guangdong", "CN-S"),
    RegionSpec("CN-W-SC", "Sichuan", "CN-W"),
    RegionSpec("CN-W-SN", "Shaanxi", "CN-W"),
    RegionSpec("CN-W-YG", "Yunnan & Guizhou", "CN-W"),
    RegionSpec("CN-C-HB", "Hubei", "CN-C"),
    RegionSpec("CN-C-HA", "Henan", "CN-C"),
)

# City tiers follow the usual commercial ranking: 1 = Beijing, Shanghai, Guangzhou, Shenzhen;
# 2 = large provincial capitals; 3 = prefecture-level cities; 4 = small cities and county seats.
CITIES: tuple[CitySpec, ...] = (
    CitySpec("BJ", "Beijing", 1, "39.9042", "116.4074", "CN-N-BJ"),
    CitySpec("SH", "Shanghai", 1, "31.2304", "121.4737", "CN-E-SH"),
    CitySpec("GZ", "Guangzhou", 1, "23.1291", "113.2644", "CN-S-GD"),
    CitySpec("SZ", "Shenzhen", 1, "22.5431", "114.0579", "CN-S-GD"),
    CitySpec("CD", "Chengdu", 2, "30.6570", "104.0658", "CN-W-SC"),
    CitySpec("HZ", "Hangzhou", 2, "30.2741", "120.1551", "CN-E-ZJ"),
    CitySpec("WH", "Wuhan", 2, "30.5928", "114.3055", "CN-C-HB"),
    CitySpec("NJ", "Nanjing", 2, "32.0603", "118.7969", "CN-E-JS"),
    CitySpec("XA", "Xi'an", 2, "34.2610", "108.9423", "CN-W-SN"),
    CitySpec("ZZ", "Zhengzhou", 2, "34.7466", "113.6254", "CN-C-HA"),
    CitySpec("QD", "Qingdao", 2, "36.0671", "120.3826", "CN-N-SD"),
    CitySpec("LY", "Luoyang", 3, "34.6197", "112.4540", "CN-C-HA"),
    CitySpec("MY", "Mianyang", 3, "31.4675", "104.6796", "CN-W-SC"),
    CitySpec("YZ", "Yangzhou", 3, "32.3942", "119.4129", "CN-E-JS"),
    CitySpec("DL", "Dali", 4, "25.6065", "100.2676", "CN-W-YG"),
    CitySpec("YA", "Yan'an", 4, "36.5853", "109.4898", "CN-W-SN"),
    CitySpec("KL", "Kaili", 4, "26.5667", "107.9823", "CN-W-YG"),
)


# --- partners and outlets ---------------------------------------------------------------------


@dataclass(frozen=True)
class FranchiseeSpec:
    code: str
    name: str
    legal_name: str
    contact_name: str
    contact_email: str
    contact_phone: str


FRANCHISEES: tuple[FranchiseeSpec, ...] = (
    FranchiseeSpec(
        "F-HUAXIN",
        "Huaxin Telecom",
        "北京华信通讯器材有限公司",
        "Liu Jianguo",
        "liu.jianguo@huaxin-telecom.example.com",
        "+86 10 6551 2280",
    ),
    FranchiseeSpec(
        "F-SHENGDA",
        "Shengda Digital",
        "上海盛达数码科技有限公司",
        "Zhou Min",
        "zhou.min@shengda-digital.example.com",
        "+86 21 6318 7742",
    ),
    FranchiseeSpec(
        "F-XIHU",
        "Xihu Digital",
        "杭州西湖数码通讯有限公司",
        "Shen Lili",
        "shen.lili@xihu-digital.example.com",
        "+86 571 8702 5516",
    ),
    FranchiseeSpec(
        "F-JIANGNAN",
        "Jiangnan Zhilian Electronics",
        "江苏江南智联电子有限公司",
        "Xu Hao",
        "xu.hao@jiangnan-zhilian.example.com",
        "+86 25 8477 3190",
    ),
    FranchiseeSpec(
        "F-LINGNAN",
        "Lingnan Connect",
        "广州岭南通信设备有限公司",
        "Huang Zhiwei",
        "huang.zhiwei@lingnan-connect.example.com",
        "+86 20 3862 1457",
    ),
    FranchiseeSpec(
        "F-PENGCHENG",
        "Pengcheng Digital",
        "深圳市鹏城数码有限公司",
        "Lin Xiaoyan",
        "lin.xiaoyan@pengcheng-digital.example.com",
        "+86 755 8326 0918",
    ),
    FranchiseeSpec(
        "F-TIANFU",
        "Tianfu Mobile",
        "四川天府移动通信器材有限公司",
        "Chen Yu",
        "chen.yu@tianfu-mobile.example.com",
        "+86 28 8665 4031",
    ),
    FranchiseeSpec(
        "F-QINCHUAN",
        "Qinchuan Electronics",
        "陕西秦川电子商贸有限公司",
        "Zhao Lei",
        "zhao.lei@qinchuan-elec.example.com",
        "+86 29 8721 6654",
    ),
    FranchiseeSpec(
        "F-JINGCHU",
        "Jingchu Telecom",
        "湖北荆楚通讯有限责任公司",
        "Hu Bin",
        "hu.bin@jingchu-telecom.example.com",
        "+86 27 8581 2206",
    ),
    FranchiseeSpec(
        "F-ZHONGYUAN",
        "Zhongyuan Digital",
        "河南中原数码科技有限公司",
        "Sun Qiang",
        "sun.qiang@zhongyuan-digital.example.com",
        "+86 371 6697 3385",
    ),
    FranchiseeSpec(
        "F-CAIYUN",
        "Caiyun Trading",
        "云南彩云商贸有限公司",
        "Yang Mei",
        "yang.mei@caiyun-trading.example.com",
        "+86 872 212 4460",
    ),
)


@dataclass(frozen=True)
class LocationSpec:
    """An outlet; no franchisee means a direct store. Revenue is CNY per year, area in m²."""

    code: str
    name: str
    city: str
    address: str
    franchisee: str | None = None
    status: str = LocationStatus.OPEN
    opened: str | None = None
    floor_area: int | None = None
    revenue: int | None = None


LOCATIONS: tuple[LocationSpec, ...] = (
    # Beijing
    LocationSpec(
        "BJ-D01", "Aurora Flagship Store Wangfujing", "BJ",
        "138 Wangfujing Dajie, Dongcheng District",
        opened="2017-09-16", floor_area=1150, revenue=98_500_000,
    ),
    LocationSpec(
        "BJ-D02", "Aurora Store Sanlitun", "BJ",
        "Unit N1-12, Taikoo Li Sanlitun North, 11 Sanlitun Lu, Chaoyang District",
        opened="2019-04-27", floor_area=420, revenue=46_200_000,
    ),
    LocationSpec(
        "BJ-D03", "Aurora Experience Store Zhongguancun", "BJ",
        "L1, Zhongguancun Plaza, 15 Danling Jie, Haidian District",
        opened="2021-06-18", floor_area=380, revenue=39_800_000,
    ),
    LocationSpec(
        "BJ-A01", "Huaxin Telecom Xidan · Aurora Authorized Dealer", "BJ",
        "L2-18, Joy City, 131 Xidan Beidajie, Xicheng District", "F-HUAXIN",
        opened="2018-03-08", floor_area=140, revenue=12_600_000,
    ),
    LocationSpec(
        "BJ-A02", "Huaxin Telecom Wangjing · Aurora Authorized Dealer", "BJ",
        "Unit 107, Wangjing SOHO T1, 1 Futong Dongdajie, Chaoyang District", "F-HUAXIN",
        opened="2019-11-02", floor_area=110, revenue=8_900_000,
    ),
    LocationSpec(
        "BJ-A03", "Huaxin Telecom Tongzhou · Aurora Authorized Dealer", "BJ",
        "1F-26, Wanda Plaza, 58 Xinhua Xilu, Tongzhou District", "F-HUAXIN",
        opened="2022-08-20", floor_area=95, revenue=6_300_000,
    ),
    # Shanghai
    LocationSpec(
        "SH-D01", "Aurora Flagship Store Nanjing Road", "SH",
        "300 Nanjing Donglu, Huangpu District",
        opened="2016-12-10", floor_area=1280, revenue=112_000_000,
    ),
    LocationSpec(
        "SH-D02", "Aurora Store Lujiazui", "SH",
        "Unit LG2-21, IFC Mall, 8 Shiji Dadao, Pudong New Area",
        opened="2018-05-19", floor_area=360, revenue=52_300_000,
    ),
    LocationSpec(
        "SH-D03", "Aurora Store Xujiahui", "SH",
        "L1-09, Grand Gateway 66, 1 Hongqiao Lu, Xuhui District",
        opened="2020-10-01", floor_area=340, revenue=41_700_000,
    ),
    LocationSpec(
        "SH-A01", "Shengda Digital Wujiaochang · Aurora Authorized Dealer", "SH",
        "1F, Bailian Youyicheng, 8 Songhu Lu, Yangpu District", "F-SHENGDA",
        opened="2017-06-24", floor_area=150, revenue=13_800_000,
    ),
    LocationSpec(
        "SH-A02", "Shengda Digital Zhongshan Park · Aurora Authorized Dealer", "SH",
        "B1-22, Cloud Nine Mall, 1018 Changning Lu, Changning District", "F-SHENGDA",
        opened="2018-09-15", floor_area=120, revenue=10_400_000,
    ),
    LocationSpec(
        "SH-A03", "Shengda Digital Qibao · Aurora Authorized Dealer", "SH",
        "3655 Caobao Lu, Minhang District", "F-SHENGDA",
        opened="2021-04-10", floor_area=90, revenue=5_700_000,
    ),
    LocationSpec(
        "SH-A04", "Shengda Digital Songjiang · Aurora Authorized Dealer", "SH",
        "1F-31, Wanda Plaza, 900 Guangfulin Lu, Songjiang District", "F-SHENGDA",
        opened="2023-01-14", floor_area=85, revenue=4_900_000,
    ),
    # Guangzhou
    LocationSpec(
        "GZ-D01", "Aurora Flagship Store Tianhe", "GZ",
        "L1, Teemall, 208 Tianhe Lu, Tianhe District",
        opened="2018-01-20", floor_area=960, revenue=74_600_000,
    ),
    LocationSpec(
        "GZ-D02", "Aurora Store Beijing Road", "GZ",
        "218 Beijing Lu Pedestrian Street, Yuexiu District",
        opened="2022-04-30", floor_area=300, revenue=28_900_000,
    ),
    LocationSpec(
        "GZ-A01", "Lingnan Connect Shangxiajiu · Aurora Authorized Dealer", "GZ",
        "96 Shangxiajiu Pedestrian Street, Liwan District", "F-LINGNAN",
        opened="2017-10-28", floor_area=130, revenue=9_800_000,
    ),
    LocationSpec(
        "GZ-A02", "Lingnan Connect Panyu · Aurora Authorized Dealer", "GZ",
        "1F, Wanbo Commercial Centre, 383 Hanxi Dadao, Panyu District", "F-LINGNAN",
        opened="2020-07-18", floor_area=105, revenue=7_200_000,
    ),
    LocationSpec(
        "GZ-A03", "Lingnan Connect Baiyun · Aurora Authorized Dealer", "GZ",
        "1F-15, Wanda Plaza, 1 Yuncheng Donglu, Baiyun District", "F-LINGNAN",
        opened="2021-12-04", floor_area=95, revenue=5_400_000,
    ),
    # Shenzhen
    LocationSpec(
        "SZ-D01", "Aurora Flagship Store Futian", "SZ",
        "L1, COCO Park, 268 Fuhua Sanlu, Futian District",
        opened="2017-11-11", floor_area=880, revenue=81_300_000,
    ),
    LocationSpec(
        "SZ-D02", "Aurora Store Nanshan", "SZ",
        "Unit B1-35, MixC World, 9668 Shennan Dadao, Nanshan District",
        opened="2021-09-25", floor_area=320, revenue=35_400_000,
    ),
    LocationSpec(
        "SZ-A01", "Pengcheng Digital Huaqiangbei · Aurora Authorized Dealer", "SZ",
        "1019 Huaqiang Beilu, Futian District", "F-PENGCHENG",
        opened="2016-08-06", floor_area=160, revenue=14_100_000,
    ),
    LocationSpec(
        "SZ-A02", "Pengcheng Digital Dongmen · Aurora Authorized Dealer", "SZ",
        "21 Dongmen Pedestrian Street, Luohu District", "F-PENGCHENG",
        opened="2019-03-16", floor_area=115, revenue=8_600_000,
    ),
    LocationSpec(
        "SZ-A03", "Pengcheng Digital Longgang · Aurora Authorized Dealer", "SZ",
        "1F-08, Wanda Plaza, 3 Longxiang Dadao, Longgang District", "F-PENGCHENG",
        opened="2022-05-21", floor_area=100, revenue=6_100_000,
    ),
    LocationSpec(
        "SZ-A04", "Pengcheng Digital Bao'an · Aurora Authorized Dealer", "SZ",
        "1062 Xixiang Dadao, Bao'an District", "F-PENGCHENG",
        status=PLANNED, opened="2026-09-18", floor_area=120,
    ),
    # Chengdu
    LocationSpec(
        "CD-A01", "Tianfu Mobile Chunxi Road · Aurora Authorized Dealer", "CD",
        "8 Chunxi Lu, Jinjiang District", "F-TIANFU",
        opened="2017-05-20", floor_area=180, revenue=13_200_000,
    ),
    LocationSpec(
        "CD-A02", "Tianfu Mobile Raffles City · Aurora Authorized Dealer", "CD",
        "B1-17, Raffles City, 3 Renmin Nanlu Section 4, Wuhou District", "F-TIANFU",
        opened="2018-10-13", floor_area=125, revenue=9_700_000,
    ),
    LocationSpec(
        "CD-A03", "Tianfu Mobile Jianshe Road · Aurora Authorized Dealer", "CD",
        "55 Jianshe Lu, Chenghua District", "F-TIANFU",
        opened="2020-01-11", floor_area=100, revenue=6_800_000,
    ),
    LocationSpec(
        "CD-A04", "Tianfu Mobile Global Center · Aurora Authorized Dealer", "CD",
        "1F, New Century Global Center, 1700 Tianfu Dadao Beiduan, Wuhou District", "F-TIANFU",
        opened="2021-08-07", floor_area=110, revenue=7_400_000,
    ),
    LocationSpec(
        "CD-A05", "Tianfu Mobile Wenjiang · Aurora Authorized Dealer", "CD",
        "399 Fenghuang Zhongsan Lu, Wenjiang District", "F-TIANFU",
        status=PLANNED, opened="2026-07-01", floor_area=90,
    ),
    # Hangzhou
    LocationSpec(
        "HZ-A01", "Xihu Digital Wulin · Aurora Authorized Dealer", "HZ",
        "530 Yan'an Lu, Gongshu District", "F-XIHU",
        opened="2017-04-15", floor_area=150, revenue=11_900_000,
    ),
    LocationSpec(
        "HZ-A02", "Xihu Digital Hubin · Aurora Authorized Dealer", "HZ",
        "1F-12, Hubin in77, 258 Hubin Lu, Shangcheng District", "F-XIHU",
        opened="2019-05-01", floor_area=120, revenue=10_300_000,
    ),
    LocationSpec(
        "HZ-A03", "Xihu Digital Binjiang · Aurora Authorized Dealer", "HZ",
        "1F, Longhu Tianjie, 3867 Jiangnan Dadao, Binjiang District", "F-XIHU",
        opened="2021-03-20", floor_area=105, revenue=6_900_000,
    ),
    LocationSpec(
        "HZ-A04", "Shengda Digital Xiaoshan · Aurora Authorized Dealer", "HZ",
        "588 Shixin Zhonglu, Xiaoshan District", "F-SHENGDA",
        opened="2022-06-18", floor_area=95, revenue=5_200_000,
    ),
    LocationSpec(
        "HZ-A05", "Xihu Digital Xixi · Aurora Authorized Dealer", "HZ",
        "551 Wuchang Lu, Xihu District", "F-XIHU",
        opened="2023-09-09", floor_area=90, revenue=3_800_000,
    ),
    # Wuhan
    LocationSpec(
        "WH-A01", "Jingchu Telecom Jianghan Road · Aurora Authorized Dealer", "WH",
        "118 Jianghan Lu Pedestrian Street, Jianghan District", "F-JINGCHU",
        opened="2017-08-26", floor_area=145, revenue=10_800_000,
    ),
    LocationSpec(
        "WH-A02", "Jingchu Telecom Guanggu · Aurora Authorized Dealer", "WH",
        "766 Luoyu Lu, Guanggu Square, Hongshan District", "F-JINGCHU",
        status=TEMPORARILY_CLOSED, opened="2019-09-21", floor_area=120, revenue=8_100_000,
    ),
    LocationSpec(
        "WH-A03", "Jingchu Telecom Zhongnan Road · Aurora Authorized Dealer", "WH",
        "9 Zhongnan Lu, Wuchang District", "F-JINGCHU",
        opened="2020-11-07", floor_area=100, revenue=6_600_000,
    ),
    LocationSpec(
        "WH-A04", "Jingchu Telecom Hankou Station · Aurora Authorized Dealer", "WH",
        "208 Fazhan Dadao, Jianghan District", "F-JINGCHU",
        opened="2023-03-25", floor_area=80, revenue=4_200_000,
    ),
    # Nanjing
    LocationSpec(
        "NJ-A01", "Jiangnan Zhilian Xinjiekou · Aurora Authorized Dealer", "NJ",
        "L1, Deji Plaza, 18 Zhongshan Lu, Xuanwu District", "F-JIANGNAN",
        opened="2017-07-08", floor_area=155, revenue=12_400_000,
    ),
    LocationSpec(
        "NJ-A02", "Jiangnan Zhilian Hunan Road · Aurora Authorized Dealer", "NJ",
        "1 Hunan Lu, Gulou District", "F-JIANGNAN",
        opened="2018-12-15", floor_area=110, revenue=8_300_000,
    ),
    LocationSpec(
        "NJ-A03", "Jiangnan Zhilian Hexi · Aurora Authorized Dealer", "NJ",
        "1F-20, Wanda Plaza, 98 Jiangdong Zhonglu, Jianye District", "F-JIANGNAN",
        opened="2020-06-06", floor_area=100, revenue=6_500_000,
    ),
    LocationSpec(
        "NJ-A04", "Jiangnan Zhilian Xianlin · Aurora Authorized Dealer", "NJ",
        "1 Xianlin Dadao, Qixia District", "F-JIANGNAN",
        opened="2022-10-22", floor_area=85, revenue=4_100_000,
    ),
    # Xi'an
    LocationSpec(
        "XA-A01", "Qinchuan Electronics Bell Tower · Aurora Authorized Dealer", "XA",
        "8 Dong Dajie, Beilin District", "F-QINCHUAN",
        opened="2018-04-21", floor_area=135, revenue=9_600_000,
    ),
    LocationSpec(
        "XA-A02", "Qinchuan Electronics Xiaozhai · Aurora Authorized Dealer", "XA",
        "1F, Saige Digital Plaza, 84 Xiaozhai Donglu, Yanta District", "F-QINCHUAN",
        opened="2019-10-19", floor_area=110, revenue=7_700_000,
    ),
    LocationSpec(
        "XA-A03", "Qinchuan Electronics Qujiang · Aurora Authorized Dealer", "XA",
        "3 Yanta Nanlu, Qujiang New District", "F-QINCHUAN",
        opened="2022-02-26", floor_area=90, revenue=4_800_000,
    ),
    # Zhengzhou
    LocationSpec(
        "ZZ-A01", "Zhongyuan Digital Erqi Square · Aurora Authorized Dealer", "ZZ",
        "1 Erqi Lu, Erqi District", "F-ZHONGYUAN",
        opened="2018-06-16", floor_area=130, revenue=8_800_000,
    ),
    LocationSpec(
        "ZZ-A02", "Zhongyuan Digital Zhengdong · Aurora Authorized Dealer", "ZZ",
        "20 Shangwu Neihuan Lu, Zhengdong New District", "F-ZHONGYUAN",
        opened="2020-09-12", floor_area=105, revenue=6_200_000,
    ),
    LocationSpec(
        "ZZ-A03", "Zhongyuan Digital Huayuan Road · Aurora Authorized Dealer", "ZZ",
        "128 Huayuan Lu, Jinshui District", "F-ZHONGYUAN",
        opened="2021-11-27", floor_area=95, revenue=5_300_000,
    ),
    # Qingdao
    LocationSpec(
        "QD-A01", "Huaxin Telecom Taidong · Aurora Authorized Dealer", "QD",
        "60 Taidong Sanlu, Shibei District", "F-HUAXIN",
        opened="2019-06-29", floor_area=115, revenue=7_400_000,
    ),
    LocationSpec(
        "QD-A02", "Huaxin Telecom MixC · Aurora Authorized Dealer", "QD",
        "L1-41, MixC, 10 Shandong Lu, Shinan District", "F-HUAXIN",
        opened="2020-12-19", floor_area=100, revenue=6_900_000,
    ),
    LocationSpec(
        "QD-A03", "Huaxin Telecom Licang · Aurora Authorized Dealer", "QD",
        "15 Jinhua Lu, Licang District", "F-HUAXIN",
        opened="2023-05-13", floor_area=80, revenue=3_600_000,
    ),
    # Luoyang — LY-D01 is the deliberate policy exception: a direct pilot store in a tier-3 city.
    LocationSpec(
        "LY-D01", "Aurora Store Luoyang Wangcheng", "LY",
        "1 Wangcheng Dadao, Xigong District",
        opened="2024-05-01", floor_area=260, revenue=9_800_000,
    ),
    LocationSpec(
        "LY-A01", "Zhongyuan Digital Zhongzhou Road · Aurora Authorized Dealer", "LY",
        "280 Zhongzhou Zhonglu, Xigong District", "F-ZHONGYUAN",
        opened="2019-08-10", floor_area=95, revenue=4_600_000,
    ),
    LocationSpec(
        "LY-A02", "Zhongyuan Digital Luolong · Aurora Authorized Dealer", "LY",
        "256 Kaiyuan Dadao, Luolong District", "F-ZHONGYUAN",
        opened="2022-07-16", floor_area=80, revenue=3_100_000,
    ),
    # Mianyang
    LocationSpec(
        "MY-A01", "Tianfu Mobile Linyuan Road · Aurora Authorized Dealer", "MY",
        "66 Linyuan Lu, Fucheng District", "F-TIANFU",
        opened="2019-04-06", floor_area=90, revenue=4_300_000,
    ),
    LocationSpec(
        "MY-A02", "Tianfu Mobile Science City · Aurora Authorized Dealer", "MY",
        "12 Jiuzhou Dadao, Fucheng District", "F-TIANFU",
        opened="2022-03-19", floor_area=75, revenue=2_900_000,
    ),
    # Yangzhou
    LocationSpec(
        "YZ-A01", "Jiangnan Zhilian Wenchang · Aurora Authorized Dealer", "YZ",
        "100 Wenchang Zhonglu, Guangling District", "F-JIANGNAN",
        opened="2019-09-28", floor_area=95, revenue=4_700_000,
    ),
    LocationSpec(
        "YZ-A02", "Jiangnan Zhilian Jinghua City · Aurora Authorized Dealer", "YZ",
        "1F, Jinghua City, 6 Wenchang Xilu, Hanjiang District", "F-JIANGNAN",
        opened="2023-04-29", floor_area=80, revenue=2_800_000,
    ),
    # Dali
    LocationSpec(
        "DL-A01", "Caiyun Trading Xiaguan · Aurora Authorized Dealer", "DL",
        "120 Renmin Lu, Xiaguan, Dali City", "F-CAIYUN",
        opened="2020-05-16", floor_area=70, revenue=2_600_000,
    ),
    LocationSpec(
        "DL-A02", "Caiyun Trading Taihe · Aurora Authorized Dealer", "DL",
        "33 Taihe Lu, Xiaguan, Dali City", "F-CAIYUN",
        opened="2023-10-14", floor_area=60, revenue=1_900_000,
    ),
    # Yan'an
    LocationSpec(
        "YA-A01", "Qinchuan Electronics Baota · Aurora Authorized Dealer", "YA",
        "88 Zhongxin Jie, Baota District", "F-QINCHUAN",
        opened="2021-06-05", floor_area=75, revenue=2_400_000,
    ),
    LocationSpec(
        "YA-A02", "Qinchuan Electronics Yanda Road · Aurora Authorized Dealer", "YA",
        "17 Yanda Lu, Baota District", "F-QINCHUAN",
        status=CLOSED, opened="2020-04-18", floor_area=55,
    ),
    # Kaili
    LocationSpec(
        "KL-A01", "Caiyun Trading Yingpanpo · Aurora Authorized Dealer", "KL",
        "32 Yingpan Donglu, Kaili", "F-CAIYUN",
        opened="2021-10-23", floor_area=65, revenue=2_100_000,
    ),
    LocationSpec(
        "KL-A02", "Caiyun Trading Dashizi · Aurora Authorized Dealer", "KL",
        "18 Beijing Donglu, Kaili", "F-CAIYUN",
        status=TEMPORARILY_CLOSED, opened="2024-01-20", floor_area=55, revenue=1_200_000,
    ),
)  # fmt: skip


# --- people -----------------------------------------------------------------------------------

SUPERUSER = "superuser"


@dataclass(frozen=True)
class UserSpec:
    """A demo login; `role` is a `Role` in the brand, or SUPERUSER for the site superuser."""

    username: str
    first_name: str
    last_name: str
    role: str
    is_staff: bool = False
    franchisee: str | None = None
    regions: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    note: str = ""


USERS: tuple[UserSpec, ...] = (
    UserSpec("admin", "Site", "Administrator", SUPERUSER, is_staff=True, note="sees everything"),
    UserSpec("hq-admin", "Wei", "Zhang", Role.HQ_ADMIN, is_staff=True, note="framework, chain, /admin/"),
    UserSpec("hq-analyst", "Na", "Li", Role.HQ_ANALYST, note="the whole chain, read-only"),
    UserSpec(
        "auditor-east",
        "Fang",
        "Wang",
        Role.AUDITOR,
        regions=("CN-E",),
        locations=("LY-D01",),
        note="East China + the Luoyang pilot store",
    ),
    UserSpec(
        "franchisee-huaxin",
        "Jianguo",
        "Liu",
        Role.FRANCHISEE,
        franchisee="F-HUAXIN",
        note="Huaxin Telecom's outlets (Beijing, Qingdao)",
    ),
    UserSpec(
        "franchisee-tianfu",
        "Yu",
        "Chen",
        Role.FRANCHISEE,
        franchisee="F-TIANFU",
        note="Tianfu Mobile's outlets (Chengdu, Mianyang)",
    ),
)

USER_EMAIL_DOMAIN = "aurora-mobile.example.com"


# --- the framework ----------------------------------------------------------------------------

FRAMEWORK_NAME = "Aurora Brand Experience Standard"
FRAMEWORK_DESCRIPTION = (
    "One experience in every Aurora outlet. Most standards apply to all outlets; where Aurora "
    "holds its own stores and its authorized dealers to different standards (signage wording, "
    "demo units, price bands, repairs), the item says which outlet type it applies to and "
    "gives a target per outlet type."
)


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str
    importance: str
    expectation: str
    ideal: str
    description: str


DIMENSIONS: tuple[DimensionSpec, ...] = (
    DimensionSpec(
        "product", "Product", "9.0", "8.0", "9.0",
        "Genuine, current, working devices that customers can try before they buy.",
    ),
    DimensionSpec(
        "service", "Service", "8.5", "7.5", "9.0",
        "Being greeted, listened to and advised by staff who know the products.",
    ),
    DimensionSpec(
        "relationship", "Relationship", "6.0", "5.5", "7.5",
        "Trust after the sale: honest terms, follow-up, membership and privacy.",
    ),
    DimensionSpec(
        "price", "Price", "8.0", "7.0", "8.0",
        "The same fair, transparent price everywhere; no surprises at the till.",
    ),
    DimensionSpec(
        "convenience", "Convenience", "7.0", "7.0", "8.0",
        "Easy to find, reach, pay and get help, in store and online.",
    ),
    DimensionSpec(
        "brand_image", "Brand image", "7.5", "7.0", "9.0",
        "Every outlet looks like Aurora and says truthfully who runs it.",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class TouchpointSpec:
    code: str  # unique across the whole framework, so items can name it alone
    name: str
    channel: str


@dataclass(frozen=True)
class StageSpec:
    name: str
    phase: str
    touchpoints: tuple[TouchpointSpec, ...]


@dataclass(frozen=True)
class JourneySpec:
    code: str
    name: str
    description: str
    stages: tuple[StageSpec, ...]


JOURNEYS: tuple[JourneySpec, ...] = (
    JourneySpec(
        "buy-in-store",
        "Buy a phone in store",
        "From looking for an outlet to using the new phone at home.",
        (
            StageSpec(
                "Find an outlet",
                Phase.BEFORE,
                (
                    TouchpointSpec("store-locator", "Store locator on aurora-mobile.com", Channel.WEB),
                    TouchpointSpec(
                        "map-listing", "Map and review apps (Amap, Baidu Maps, Dianping)", Channel.APP
                    ),
                    TouchpointSpec("shop-front", "Shop front and signage", Channel.IN_STORE),
                    TouchpointSpec("window", "Window display", Channel.IN_STORE),
                ),
            ),
            StageSpec(
                "Walk in",
                Phase.BEFORE,
                (
                    TouchpointSpec("entrance", "Entrance and greeting", Channel.IN_STORE),
                    TouchpointSpec("sales-floor", "Sales floor", Channel.IN_STORE),
                ),
            ),
            StageSpec(
                "Try and choose",
                Phase.DURING,
                (
                    TouchpointSpec("demo-table", "Demo tables and accessory wall", Channel.IN_STORE),
                    TouchpointSpec("advice", "Advice from staff", Channel.IN_STORE),
                    TouchpointSpec("price-tags", "Price tags and promotions", Channel.IN_STORE),
                ),
            ),
            StageSpec(
                "Pay and set up",
                Phase.DURING,
                (
                    TouchpointSpec("checkout", "Checkout", Channel.IN_STORE),
                    TouchpointSpec("setup", "Device set-up and data transfer", Channel.IN_STORE),
                ),
            ),
            StageSpec(
                "Use and stay in touch",
                Phase.AFTER,
                (
                    TouchpointSpec("follow-up", "Follow-up call or message", Channel.PHONE),
                    TouchpointSpec("member-app", "Aurora app and membership", Channel.APP),
                    TouchpointSpec("community", "Aurora community and WeChat account", Channel.SOCIAL),
                ),
            ),
        ),
    ),
    JourneySpec(
        "repair",
        "Get a repair / after-sales",
        "A customer whose phone is broken, from asking for help to getting it back.",
        (
            StageSpec(
                "Ask for help",
                Phase.AFTER,
                (
                    TouchpointSpec("outlet-phone", "The outlet's phone line", Channel.PHONE),
                    TouchpointSpec("online-booking", "Online repair booking", Channel.WEB),
                ),
            ),
            StageSpec(
                "Hand over the device",
                Phase.AFTER,
                (
                    TouchpointSpec("service-desk", "Service desk or referral", Channel.IN_STORE),
                    TouchpointSpec("diagnosis", "Diagnosis and quote", Channel.IN_STORE),
                ),
            ),
            StageSpec(
                "Get it back",
                Phase.AFTER,
                (
                    TouchpointSpec("repair-updates", "Repair status updates", Channel.EMAIL),
                    TouchpointSpec("pickup", "Pick-up and hand-over check", Channel.IN_STORE),
                ),
            ),
        ),
    ),
)


@dataclass(frozen=True)
class SectionSpec:
    code: str
    name: str
    weight: int


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("signage", "Signage and shop front", 20),
    SectionSpec("display", "Display and demo units", 15),
    SectionSpec("staffing", "Staffing", 15),
    SectionSpec("pricing", "Pricing", 15),
    SectionSpec("facilities", "Facilities", 10),
    SectionSpec("service", "Service", 15),
    SectionSpec("after-sales", "After-sales", 10),
)

# Words reserved for Aurora's own stores. On an authorized outlet they are the commonest sign
# of a counterfeit or rogue dealer, so every authorized-outlet signage item forbids all of them.
RESERVED_TERMS_EN: tuple[str, ...] = (
    "Store",
    "Retail",
    "Experience Store",
    "Experience Center",
    "Experience Centre",
    "Flagship",
    "Exclusive",
    "Monopoly",
)
RESERVED_TERMS_ZH: tuple[str, ...] = ("体验店", "旗舰店", "专卖店", "体验中心", "直营店")
RESERVED_TERMS: tuple[str, ...] = RESERVED_TERMS_EN + RESERVED_TERMS_ZH
DEALER_MARK: tuple[str, ...] = ("授权经销商", "Authorized Dealer")

# Price bands in % of the official list price: Aurora's stores sell at list, dealers may
# discount within a band and never charge above list.
LIST_PRICE = (100, 100)
PHONE_DEALER_BAND = (90, 100)
ACCESSORY_DEALER_BAND = (85, 100)


@dataclass(frozen=True)
class ItemSpec:
    """A checklist standard. `only` restricts it to one outlet type; `target` is (direct, authorized)."""

    code: str
    section: str
    question: str
    answer_type: str = AnswerType.YES_NO
    guidance: str = ""
    weight: int = 1
    critical: bool = False
    photo_required: bool = False
    na_allowed: bool = False
    only: str | None = None
    target: tuple[int | None, int | None] = (None, None)
    pass_fail: bool = False
    band_direct: tuple[int, int] | None = None
    band_authorized: tuple[int, int] | None = None
    required: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    touchpoint: str | None = None
    dimension: str | None = None


NOT_SCORED = "Recorded as evidence for HQ; it earns no points."

ITEMS: tuple[ItemSpec, ...] = (
    # --- signage -------------------------------------------------------------------------------
    ItemSpec(
        "SIG-01", "signage",
        "Main shop-front sign: type every word on it exactly as written, Chinese and English.",
        AnswerType.SIGNAGE_TEXT,
        "An authorized outlet's sign shows the dealer company's name, the Aurora logo and the mark "
        "'Aurora 授权经销商 / Authorized Dealer'. Any word reserved for Aurora's own stores (Store, "
        "Retail, Flagship, Experience Store or Center, Exclusive, Monopoly, 体验店, 旗舰店, 专卖店, "
        "体验中心, 直营店) fails the sign, even next to the correct mark. Photograph it straight on.",
        weight=3, critical=True, photo_required=True, only=AUTHORIZED,
        required=DEALER_MARK, forbidden=RESERVED_TERMS, touchpoint="shop-front", dimension="brand_image",
    ),
    ItemSpec(
        "SIG-02", "signage",
        "Window graphics, door stickers, banners and light boxes: type any wording that names the shop.",
        AnswerType.SIGNAGE_TEXT,
        "Rogue 'experience store' wording often hides on secondary signs a dealer adds later. "
        "Choose N/A if there are no such signs.",
        weight=2, na_allowed=True, only=AUTHORIZED,
        forbidden=RESERVED_TERMS, touchpoint="window", dimension="brand_image",
    ),
    ItemSpec(
        "SIG-03", "signage",
        "Indoor signs, shelf headers, receipts and business cards: type any wording that names the shop.",
        AnswerType.SIGNAGE_TEXT,
        "Ask for a business card and look at the receipt header as well as the walls.",
        weight=2, only=AUTHORIZED,
        forbidden=RESERVED_TERMS, touchpoint="sales-floor", dimension="brand_image",
    ),
    ItemSpec(
        "SIG-04", "signage",
        "Shop name as listed on map and review apps (Amap, Baidu Maps, Dianping): type it exactly.",
        AnswerType.SIGNAGE_TEXT,
        "A listing that calls a dealer '体验店' or 'Experience Store' sends customers looking for "
        "Aurora's own stores to the wrong place. Paste the listing link in the comment. "
        "Choose N/A if the outlet is not listed.",
        na_allowed=True, only=AUTHORIZED,
        forbidden=RESERVED_TERMS, touchpoint="map-listing", dimension="brand_image",
    ),
    ItemSpec(
        "SIG-05", "signage",
        "The current-year Aurora authorization certificate, with the dealer number, hangs where customers "
        "can see it.",
        guidance="The dealer number must match the one in the audit app's header; last year's "
        "certificate fails.",
        weight=2, photo_required=True, only=AUTHORIZED, touchpoint="checkout", dimension="brand_image",
    ),
    ItemSpec(
        "SIG-06", "signage",
        "The dealer company's own name is on the fascia or the door, set apart from the Aurora logo.",
        guidance="Customers must be able to tell who runs the outlet. The dealer name uses its own "
        "typeface and is never merged into the Aurora wordmark (dealer signage guide, p. 4).",
        only=AUTHORIZED, touchpoint="shop-front", dimension="brand_image",
    ),
    ItemSpec(
        "SIG-07", "signage",
        "Main shop-front sign of the Aurora store: type every word on it exactly as written.",
        AnswerType.SIGNAGE_TEXT,
        "Aurora's own stores show the Aurora wordmark and never dealer wording; a leftover dealer "
        "sign usually means an outlet taken over from a partner was not re-branded.",
        weight=2, photo_required=True, only=DIRECT,
        required=("Aurora",), forbidden=("Authorized Dealer", "经销商"),
        touchpoint="shop-front", dimension="brand_image",
    ),
    ItemSpec(
        "SIG-08", "signage",
        "The Aurora logo on the fascia is the approved version (colour, proportions, clear space) and "
        "fully lit.",
        guidance="Compare with the logo card in the audit app. A dead letter, faded colour or stretched "
        "logo fails. In daylight, ask staff to switch the sign on or show the timer.",
        weight=2, photo_required=True, touchpoint="shop-front", dimension="brand_image",
    ),
    ItemSpec(
        "SIG-09", "signage",
        "The illuminated brand wall inside the entrance works: every letter and screen is lit.",
        only=DIRECT, touchpoint="entrance", dimension="brand_image",
    ),
    ItemSpec(
        "SIG-10", "signage",
        "Opening hours at the entrance match those on the store locator.",
        touchpoint="entrance", dimension="convenience",
    ),
    ItemSpec(
        "SIG-11", "signage",
        "Condition of the shop front: clean glass, no damage, no handwritten notices.",
        AnswerType.RATING,
        "5 = immaculate; 3 = small marks or one handwritten notice; 1 = damaged, dirty or cluttered.",
        touchpoint="shop-front", dimension="brand_image",
    ),
    ItemSpec(
        "SIG-12", "signage",
        "Photo of the whole shop front from across the street or mall corridor.",
        AnswerType.PHOTO, NOT_SCORED,
        weight=0, photo_required=True, touchpoint="shop-front",
    ),
    # --- display -------------------------------------------------------------------------------
    ItemSpec(
        "DIS-01", "display",
        "Working demo phones on the tables: count every current model that switches on and responds.",
        AnswerType.NUMBER,
        "Aurora's stores carry the full range; dealers carry the core range of their contract. "
        "Full points at 24 units in a direct store and 8 in an authorized outlet.",
        weight=3, target=(24, 8), touchpoint="demo-table", dimension="product",
    ),
    ItemSpec(
        "DIS-02", "display",
        "Working demo tablets, watches and earbuds.",
        AnswerType.NUMBER,
        "Count units a customer can pick up and use; boxed stock does not count.",
        weight=2, target=(12, 4), touchpoint="demo-table", dimension="product",
    ),
    ItemSpec(
        "DIS-03", "display",
        "Of the phones on the demo tables, what percentage switch on, are charged above 20 % and show no "
        "error screen?",
        AnswerType.NUMBER,
        "Working units ÷ units on display × 100, rounded down. Below 95 % fails outright.",
        target=(95, 95), pass_fail=True, touchpoint="demo-table", dimension="product",
    ),
    ItemSpec(
        "DIS-04", "display",
        "The current flagship phone is on display and working.",
        guidance="See the campaign card in the audit app for the model. Every outlet must let "
        "customers try it.",
        weight=2, critical=True, touchpoint="demo-table", dimension="product",
    ),
    ItemSpec(
        "DIS-05", "display",
        "Demo units run the official retail demo mode: no personal accounts, third-party apps or edited "
        "demo content.",
        touchpoint="demo-table", dimension="product",
    ),
    ItemSpec(
        "DIS-06", "display",
        "Every demo unit has a working security tether, neatly routed, long enough to hold the phone "
        "comfortably.",
        touchpoint="demo-table", dimension="convenience",
    ),
    ItemSpec(
        "DIS-07", "display",
        "Tidiness of the demo tables: fingerprints, dust, tangled cables, missing price cards.",
        AnswerType.RATING,
        "5 = spotless and complete; 3 = a few smudges or one missing card; 1 = neglected.",
        touchpoint="demo-table", dimension="brand_image",
    ),
    ItemSpec(
        "DIS-08", "display",
        "Only genuine Aurora products and approved accessory brands are displayed or sold (no grey-market, "
        "refurbished-as-new or counterfeit goods).",
        guidance="Check the packaging seals and the hologram on accessories. Any doubt fails: "
        "photograph the product and note where it was.",
        weight=3, critical=True, touchpoint="demo-table", dimension="product",
    ),
    ItemSpec(
        "DIS-09", "display",
        "The window display shows the current national campaign, installed by its launch date.",
        guidance="Outlets without a window (mall kiosks) answer N/A.",
        na_allowed=True, touchpoint="window", dimension="brand_image",
    ),
    ItemSpec(
        "DIS-10", "display",
        "Facings of genuine Aurora accessories on the accessory wall (cases, chargers, earbuds).",
        AnswerType.NUMBER,
        "Count distinct products facing the customer, not boxes behind them.",
        target=(60, 20), touchpoint="demo-table", dimension="product",
    ),
    ItemSpec(
        "DIS-11", "display",
        "The experience zones (photography, gaming, smart home) are set up as in the store layout guide and "
        "working.",
        only=DIRECT, touchpoint="sales-floor", dimension="product",
    ),
    ItemSpec(
        "DIS-12", "display",
        "Photo of the main demo table, taken from the customer's side.",
        AnswerType.PHOTO, NOT_SCORED,
        weight=0, photo_required=True, touchpoint="demo-table",
    ),
    # --- staffing ------------------------------------------------------------------------------
    ItemSpec(
        "STF-01", "staffing",
        "Greeting within 10 seconds: of the first three customers entering while you watch (you "
        "included), how many are greeted within 10 seconds?",
        AnswerType.NUMBER,
        "Start timing when the customer crosses the entrance. Eye contact plus words counts; a nod "
        "does not. If fewer than three customers come in within 15 minutes, leave and enter again. "
        "Anything under 3 fails.",
        weight=3, target=(3, 3), pass_fail=True, touchpoint="entrance", dimension="service",
    ),
    ItemSpec(
        "STF-02", "staffing",
        "Warmth of the greeting and of the first conversation.",
        AnswerType.RATING,
        "5 = warm and personal; 3 = polite but scripted; 1 = ignored or brushed off.",
        touchpoint="entrance", dimension="service",
    ),
    ItemSpec(
        "STF-03", "staffing",
        "Sales staff on the floor at the time of the visit, not counting the cashier or service desk.",
        AnswerType.NUMBER,
        "Full points at 6 in a direct store and 2 in an authorized outlet.",
        target=(6, 2), touchpoint="sales-floor", dimension="service",
    ),
    ItemSpec(
        "STF-04", "staffing",
        "All staff on the floor wear the current Aurora uniform, clean and complete.",
        guidance="Dealer staff wear the dealer version (Aurora logo, no 'Aurora staff' wording).",
        touchpoint="sales-floor", dimension="brand_image",
    ),
    ItemSpec(
        "STF-05", "staffing",
        "Every staff member wears a name badge with their name and role.",
        guidance="In authorized outlets the badge also shows the dealer company's name.",
        touchpoint="sales-floor", dimension="relationship",
    ),
    ItemSpec(
        "STF-06", "staffing",
        "The person serving you holds a current Aurora product-training certificate (ask to see it in "
        "the Aurora Academy app).",
        guidance="Certificates expire 12 months after the course; the app shows the date.",
        touchpoint="advice", dimension="product",
    ),
    ItemSpec(
        "STF-07", "staffing",
        "Product knowledge: answers to the three scripted questions (camera, battery life, moving data "
        "from another phone).",
        AnswerType.RATING,
        "5 = all three right and clearly explained; 3 = one wrong or vague; 1 = guesses.",
        weight=2, touchpoint="advice", dimension="product",
    ),
    ItemSpec(
        "STF-08", "staffing",
        "Staff screening: everyone serving customers appears on the dealer's registered staff list with "
        "a completed background check.",
        guidance="Compare the badges with the staff list in the audit app. Unregistered staff handle "
        "customers' devices and data without the checks Aurora requires.",
        weight=2, only=AUTHORIZED, touchpoint="sales-floor", dimension="relationship",
    ),
    ItemSpec(
        "STF-09", "staffing",
        "Languages spoken by the staff on duty (ask; e.g. Mandarin, Cantonese, Sichuanese, English).",
        AnswerType.TEXT, NOT_SCORED,
        weight=0, touchpoint="advice", dimension="service",
    ),
    ItemSpec(
        "STF-10", "staffing",
        "A staff member can serve a customer in English (ask a question in English).",
        guidance="Aurora's own stores serve international visitors; dealers are not held to this.",
        only=DIRECT, touchpoint="advice", dimension="service",
    ),
    ItemSpec(
        "STF-11", "staffing",
        "The salesperson asks about your needs (use, budget, current phone) before recommending a model.",
        touchpoint="advice", dimension="service",
    ),
    ItemSpec(
        "STF-12", "staffing",
        "No pressure: you may leave without buying, and accessories or insurance are offered once at most.",
        touchpoint="advice", dimension="relationship",
    ),
    ItemSpec(
        "STF-13", "staffing",
        "No staff use personal phones, eat or chat among themselves while customers wait.",
        touchpoint="sales-floor", dimension="service",
    ),
    # --- pricing -------------------------------------------------------------------------------
    ItemSpec(
        "PRC-01", "pricing",
        "Price on the tag of the current flagship phone (base storage).",
        AnswerType.PRICE,
        "Aurora's stores sell at the list price exactly. Dealers may discount to 90 % of list but "
        "never charge above it: a customer must never pay more at a partner than at Aurora.",
        weight=3, critical=True, band_direct=LIST_PRICE, band_authorized=PHONE_DEALER_BAND,
        touchpoint="price-tags", dimension="price",
    ),
    ItemSpec(
        "PRC-02", "pricing",
        "Price the salesperson quotes for the flagship phone when you ask for their best price.",
        AnswerType.PRICE,
        "Record the price said, before any trade-in.",
        weight=2, band_direct=LIST_PRICE, band_authorized=PHONE_DEALER_BAND,
        touchpoint="advice", dimension="price",
    ),
    ItemSpec(
        "PRC-03", "pricing",
        "Price on the tag of the best-selling mid-range phone (see the campaign card).",
        AnswerType.PRICE,
        band_direct=LIST_PRICE, band_authorized=PHONE_DEALER_BAND,
        touchpoint="price-tags", dimension="price",
    ),
    ItemSpec(
        "PRC-04", "pricing",
        "Price of the Aurora 65 W charger.",
        AnswerType.PRICE,
        "Accessories have a wider dealer band (85–100 % of list).",
        band_direct=LIST_PRICE, band_authorized=ACCESSORY_DEALER_BAND,
        touchpoint="price-tags", dimension="price",
    ),
    ItemSpec(
        "PRC-05", "pricing",
        "Every product on display has a printed price tag in the approved format (model, storage, price).",
        touchpoint="price-tags", dimension="price",
    ),
    ItemSpec(
        "PRC-06", "pricing",
        "The phone can be bought on its own: no forced case, screen protector, 'activation fee' or data "
        "plan.",
        guidance="Ask to buy the phone alone. A refusal or a surcharge fails and is critical: it is "
        "the commonest complaint about partner outlets.",
        weight=2, critical=True, touchpoint="checkout", dimension="price",
    ),
    ItemSpec(
        "PRC-07", "pricing",
        "Official trade-in prices are displayed and match the Aurora trade-in table.",
        guidance="Outlets outside the trade-in programme answer N/A.",
        na_allowed=True, touchpoint="price-tags", dimension="price",
    ),
    ItemSpec(
        "PRC-08", "pricing",
        "An official invoice (fapiao) is offered at checkout without a surcharge.",
        touchpoint="checkout", dimension="relationship",
    ),
    ItemSpec(
        "PRC-09", "pricing",
        "Describe any promotion or discount in the shop that is not part of the current national campaign.",
        AnswerType.TEXT,
        "Note the wording, the amount and where it is shown. " + NOT_SCORED,
        weight=0, na_allowed=True, touchpoint="price-tags", dimension="price",
    ),
    # --- facilities ----------------------------------------------------------------------------
    ItemSpec(
        "FAC-01", "facilities",
        "Cleanliness of the floor, counters and seating.",
        AnswerType.RATING,
        "5 = spotless; 3 = some dust or litter; 1 = dirty.",
        touchpoint="sales-floor", dimension="brand_image",
    ),
    ItemSpec(
        "FAC-02", "facilities",
        "All lighting on the sales floor works.",
        touchpoint="sales-floor", dimension="brand_image",
    ),
    ItemSpec(
        "FAC-03", "facilities",
        "The temperature is comfortable (air conditioning or heating working for the season).",
        touchpoint="sales-floor", dimension="convenience",
    ),
    ItemSpec(
        "FAC-04", "facilities",
        "Free customer Wi-Fi ('Aurora-Guest') works.",
        guidance="Answer N/A where the mall forbids tenants' own Wi-Fi.",
        na_allowed=True, touchpoint="sales-floor", dimension="convenience",
    ),
    ItemSpec(
        "FAC-05", "facilities",
        "Seats are available for customers waiting for set-up or a repair.",
        touchpoint="setup", dimension="convenience",
    ),
    ItemSpec(
        "FAC-06", "facilities",
        "The entrance is step-free or has a ramp.",
        touchpoint="entrance", dimension="convenience",
    ),
    ItemSpec(
        "FAC-07", "facilities",
        "Free charging points for customers' own phones work.",
        only=DIRECT, touchpoint="sales-floor", dimension="convenience",
    ),
    ItemSpec(
        "FAC-08", "facilities",
        "Emergency exits are marked, lit and not blocked by stock or displays.",
        guidance="A blocked exit is critical: tell the manager before you leave and note the time.",
        critical=True, photo_required=True,
    ),
    ItemSpec(
        "FAC-09", "facilities",
        "Checkout points open at the time of the visit.",
        AnswerType.NUMBER,
        "Full points at 2 in a direct store and 1 in an authorized outlet.",
        target=(2, 1), touchpoint="checkout", dimension="convenience",
    ),
    ItemSpec(
        "FAC-10", "facilities",
        "No stock boxes on the sales floor; the stockroom door is closed.",
        touchpoint="sales-floor", dimension="brand_image",
    ),
    ItemSpec(
        "FAC-11", "facilities",
        "Photo of the sales floor from the entrance.",
        AnswerType.PHOTO, NOT_SCORED,
        weight=0, photo_required=True, touchpoint="sales-floor",
    ),
    # --- service -------------------------------------------------------------------------------
    ItemSpec(
        "SVC-01", "service",
        "Quality of the advice: did the recommendation fit the needs you described?",
        AnswerType.RATING,
        "5 = a clear best fit with honest trade-offs; 3 = reasonable but generic; 1 = pushed the "
        "most expensive model regardless.",
        weight=2, touchpoint="advice", dimension="service",
    ),
    ItemSpec(
        "SVC-02", "service",
        "The salesperson offers a hands-on demo of the recommended phone (camera, screen, a feature you "
        "asked about).",
        touchpoint="demo-table", dimension="product",
    ),
    ItemSpec(
        "SVC-03", "service",
        "Free data transfer and set-up are offered with the purchase.",
        touchpoint="setup", dimension="service",
    ),
    ItemSpec(
        "SVC-04", "service",
        "The salesperson explains, unasked, the 7-day return and 15-day exchange rights and the warranty.",
        touchpoint="checkout", dimension="relationship",
    ),
    ItemSpec(
        "SVC-05", "service",
        "The boxed phone offered is genuine and new: the IMEI on the box matches the device and shows as "
        "not yet activated in the Aurora warranty lookup.",
        guidance="Ask to see the box of the model you were advised. A refurbished or already activated "
        "unit sold as new is critical.",
        weight=3, critical=True, photo_required=True, touchpoint="checkout", dimension="product",
    ),
    ItemSpec(
        "SVC-06", "service",
        "Payment methods accepted: count WeChat Pay, Alipay, UnionPay card, international card, cash, "
        "Aurora instalments.",
        AnswerType.NUMBER,
        "Full points at all 6 in a direct store and 4 in an authorized outlet.",
        target=(6, 4), touchpoint="checkout", dimension="convenience",
    ),
    ItemSpec(
        "SVC-07", "service",
        "Aurora ID membership is offered and its benefits explained.",
        touchpoint="member-app", dimension="relationship",
    ),
    ItemSpec(
        "SVC-08", "service",
        "The store locator shows this outlet with the correct address, phone number and opening hours.",
        touchpoint="store-locator", dimension="convenience",
    ),
    ItemSpec(
        "SVC-09", "service",
        "A phone reserved in the Aurora app for pick-up is ready within 2 hours.",
        guidance="Only when the visit includes a reservation; otherwise N/A.",
        na_allowed=True, touchpoint="member-app", dimension="convenience",
    ),
    ItemSpec(
        "SVC-10", "service",
        "A follow-up call or message arrives within 3 days of the purchase, without a new sales pitch.",
        guidance="Only for visits with a purchase; otherwise N/A.",
        na_allowed=True, touchpoint="follow-up", dimension="relationship",
    ),
    ItemSpec(
        "SVC-11", "service",
        "Farewell: thanked, invited back, and given a contact for questions.",
        AnswerType.RATING,
        "5 = personal and helpful; 3 = a routine thank-you; 1 = none.",
        touchpoint="checkout", dimension="relationship",
    ),
    ItemSpec(
        "SVC-12", "service",
        "A question sent to the outlet's WeChat account is answered within one working day.",
        guidance="Send the scripted question the day before the visit. Outlets without an account "
        "answer N/A.",
        na_allowed=True, touchpoint="community", dimension="relationship",
    ),
    ItemSpec(
        "SVC-13", "service",
        "What would a customer remember from this visit, good or bad? (Chinese or English)",
        AnswerType.TEXT, NOT_SCORED,
        weight=0, dimension="service",
    ),
    # --- after-sales ---------------------------------------------------------------------------
    ItemSpec(
        "AFS-01", "after-sales",
        "The outlet's phone number (as listed on the store locator) is answered by a person within 60 "
        "seconds during opening hours.",
        touchpoint="outlet-phone", dimension="convenience",
    ),
    ItemSpec(
        "AFS-02", "after-sales",
        "Online repair booking offers a slot at this outlet or the nearest service centre within 3 days.",
        guidance="Answer N/A if the booking site is down nationally (check the status page).",
        na_allowed=True, touchpoint="online-booking", dimension="convenience",
    ),
    ItemSpec(
        "AFS-03", "after-sales",
        "The service desk is staffed and takes in a device without an appointment.",
        only=DIRECT, touchpoint="service-desk", dimension="convenience",
    ),
    ItemSpec(
        "AFS-04", "after-sales",
        "Asked about a repair, staff give the address of the nearest official Aurora service centre or "
        "offer the official mail-in service.",
        guidance="Dealers do not repair devices themselves; they refer customers to Aurora service.",
        only=AUTHORIZED, touchpoint="service-desk", dimension="service",
    ),
    ItemSpec(
        "AFS-05", "after-sales",
        "No unauthorized repairs: the outlet does not open devices, replace screens or batteries, or sell "
        "third-party spare parts.",
        guidance="Ask for a 'quick screen replacement'. An offer to do it on the spot is critical: it "
        "voids the warranty and often uses counterfeit parts.",
        weight=2, critical=True, only=AUTHORIZED, touchpoint="service-desk", dimension="product",
    ),
    ItemSpec(
        "AFS-06", "after-sales",
        "A written quote (parts, labour, time) is given before any paid repair starts.",
        only=DIRECT, touchpoint="diagnosis", dimension="price",
    ),
    ItemSpec(
        "AFS-07", "after-sales",
        "Clarity of the diagnosis: the fault, the options and what the warranty covers are explained "
        "plainly.",
        AnswerType.RATING,
        "5 = clear, with options and costs; 3 = understandable after questions; 1 = jargon only.",
        only=DIRECT, touchpoint="diagnosis", dimension="service",
    ),
    ItemSpec(
        "AFS-08", "after-sales",
        "Staff offer a data backup and never ask for the screen passcode without written consent.",
        touchpoint="service-desk", dimension="relationship",
    ),
    ItemSpec(
        "AFS-09", "after-sales",
        "Loan phones available at the service desk today.",
        AnswerType.NUMBER,
        "Full points at 3.",
        target=(3, None), only=DIRECT, touchpoint="service-desk", dimension="convenience",
    ),
    ItemSpec(
        "AFS-10", "after-sales",
        "Repair status updates (SMS or e-mail) arrive at each step: received, repaired, ready.",
        guidance="Only when the visit includes a repair; otherwise N/A.",
        na_allowed=True, touchpoint="repair-updates", dimension="relationship",
    ),
    ItemSpec(
        "AFS-11", "after-sales",
        "At pick-up the device is checked together with you and the repair report handed over.",
        guidance="Only when the visit includes a repair; otherwise N/A.",
        na_allowed=True, only=DIRECT, touchpoint="pickup", dimension="service",
    ),
)  # fmt: skip


# --- a year of audits -------------------------------------------------------------------------

HISTORY_VISITS = 4  # audits per open location over the last 12 months, roughly one a quarter
HISTORY_NAMESPACE = "6f1d2c9e-5b7a-4c3e-9a41-2d8e0b6c7f15"  # demo audits get uuid5(this, code/visit)

# List prices (CNY) the auditors find on the price cards; observed prices are judged against them.
LIST_PRICES: dict[str, int] = {"PRC-01": 5999, "PRC-02": 5999, "PRC-03": 2499, "PRC-04": 199}


@dataclass(frozen=True)
class OutletStory:
    """What a year of audits shows at one outlet, beyond the chain's ordinary ups and downs.

    `trend` is the quality gained (negative: lost) per visit; `faults` are failed at every visit
    from `since` on (0 = the first), so they come back as repeat findings; `signs` is the wording
    the auditor finds on a failing signage item.
    """

    code: str
    note: str
    trend: float = 0.0
    faults: tuple[str, ...] = ()
    since: int = 0
    signs: tuple[tuple[str, str], ...] = ()


STORIES: tuple[OutletStory, ...] = (
    OutletStory(
        "ZZ-A03", "new fascia calls the dealer an Aurora 体验店 (critical, every visit since spring)",
        faults=("SIG-01",), since=1,
        signs=(("SIG-01", "中原数码 AURORA 体验店 · Aurora Experience Store"),),
    ),
    OutletStory(
        "KL-A01", "window banner and Dianping listing say 'Experience Store' / 旗舰店",
        faults=("SIG-02", "SIG-04"),
        signs=(
            ("SIG-02", "AURORA EXPERIENCE STORE 开业酬宾"),
            ("SIG-04", "Aurora旗舰店(营盘坡)"),
        ),
    ),
    OutletStory(
        "DL-A01", "flagship phone priced outside the dealer band since the autumn (critical)",
        faults=("PRC-01", "PRC-02"), since=2,
    ),
    OutletStory(
        "MY-A02", "last year's dealer certificate and too few demo phones, never fixed",
        faults=("SIG-05", "DIS-01", "DIS-10"),
    ),
    OutletStory("SZ-A02", "staff turnover: service and display slide every quarter", trend=-0.11),
    OutletStory(
        "WH-A03", "demo tables emptied out as the dealer cut stock", trend=-0.09,
        faults=("DIS-01", "DIS-02"), since=1,
    ),
    OutletStory(
        "XA-A03", "declining, and grey-market accessories on the wall at the last visit (critical)",
        trend=-0.08, faults=("DIS-08",), since=3,
    ),
    OutletStory("GZ-D02", "Aurora's own store under a new manager, getting worse", trend=-0.1),
    OutletStory("HZ-A04", "coached after a poor first audit, better every quarter", trend=0.06),
)  # fmt: skip

# N/A where an item allows it: the share of outlets that lack what the item checks (no window,
# not in the trade-in programme, ...) and the share of visits without what it needs (a purchase,
# a reservation, a repair).
NA_OUTLET_SHARE: dict[str, float] = {
    "SIG-02": 0.15, "SIG-04": 0.1, "DIS-09": 0.15, "PRC-07": 0.3, "FAC-04": 0.15, "SVC-12": 0.2,
}  # fmt: skip
NA_VISIT_SHARE: dict[str, float] = {
    "PRC-09": 0.8, "SVC-09": 0.75, "SVC-10": 0.6, "AFS-02": 0.05, "AFS-10": 0.75, "AFS-11": 0.75,
}  # fmt: skip
# Counts that cannot exceed a natural maximum (a percentage, three customers, six payment methods).
NUMBER_MAX: dict[str, int] = {"DIS-03": 100, "STF-01": 3, "SVC-06": 6}

# Free-text answers: (after a good visit, after a poor one).
FREE_TEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "STF-09": (
        ("Mandarin, English", "Mandarin, Cantonese, English", "Mandarin, Sichuanese, English"),
        ("Mandarin", "Mandarin, local dialect", "Mandarin, Cantonese"),
    ),
    "PRC-09": (
        ("Table card: 'Trade in any phone, extra ¥200' — the national campaign, correctly shown.",),
        ("Hand-written '老用户立减300' sign at the till, not part of any Aurora campaign.",
         "'Buy the X9, get a free case' bundle that Aurora does not run; applied at the till."),
    ),
    "SVC-13": (
        ("Warm welcome and an honest recommendation; set-up help offered without asking.",
         "店员很专业，演示了相机功能，没有推销。",
         "Quick, friendly service; the demo table was spotless."),
        ("Waited five minutes before anyone spoke to me; the staff were on their phones.",
         "推荐了最贵的机型，没有问我的需求。",
         "Several demo phones were dead and the price cards were missing."),
    ),
}  # fmt: skip
