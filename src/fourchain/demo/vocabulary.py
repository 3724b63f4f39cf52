"""The demo city's word pools: districts, zones, per-cluster industry codes, products and
technical vocabulary. Everything is composed in code so a fresh clone builds the demo."""

from __future__ import annotations

from dataclasses import dataclass

# 厦门's six districts and their administrative division codes (the credit code's region part).
DISTRICTS: dict[str, str] = {
    "思明": "350203",
    "海沧": "350205",
    "湖里": "350206",
    "集美": "350211",
    "同安": "350212",
    "翔安": "350213",
}
DISTRICT_WEIGHTS: dict[str, float] = {
    "思明": 0.22,
    "湖里": 0.24,
    "集美": 0.17,
    "海沧": 0.13,
    "同安": 0.11,
    "翔安": 0.13,
}

# Parks and the districts they lie in (a zone is only given with one of its districts).
ZONES: dict[str, tuple[str, ...]] = {
    "火炬高新区": ("湖里", "翔安", "集美"),
    "厦门科学城核心区": ("集美", "同安"),
    "软件园三期": ("集美",),
    "海沧台商投资区": ("海沧",),
    "自贸试验区厦门片区": ("湖里", "海沧"),
    "同安工业集中区": ("同安",),
    "翔安航空工业区": ("翔安",),
    "集美机械工业集中区": ("集美",),
}

# Syllables for synthetic trade names (字号); two are drawn for each firm.
NAME_SYLLABLES = (
    "瑞澜启衡泓睿翔晟琪拓远嘉鹭禾湛沁岚曜琨珩璟煦朗楷峤峻淼"
    "澄铭骞钧玥颂鸿霖溪杉柏栩桐槿芃茗荔榕屿潮汐帆舟岳川砚墨"
    "昱晞昕晔暄晗曦霁凌霆雯霈芯极序衍策卓越恒弘易通达和若"
)


@dataclass(frozen=True)
class ClusterVocabulary:
    """What firms of one cluster make and write about."""

    industry_codes: tuple[str, ...]  # GB/T 4754-2017 classes, section letter first
    trade_words: tuple[str, ...]  # the business word in a firm name, e.g. 光电科技
    products: tuple[str, ...]  # leading products (主导产品)
    objects: tuple[str, ...]  # technical objects for patent titles
    features: tuple[str, ...]  # what a patent improves
    methods: tuple[str, ...]  # how
    ipc: tuple[str, ...]  # IPC main groups
    tech_weight: float  # how research-intensive the cluster is (0..1)
    strategic_share: float  # share of firms whose product is in the SEI catalogue


VOCABULARY: dict[str, ClusterVocabulary] = {
    "electronic_information": ClusterVocabulary(
        ("C3973", "C3974", "C3976", "C3982", "C3914", "C3922", "I6513", "I6520", "I6531"),
        ("光电科技", "微电子", "电子科技", "信息技术", "显示科技", "半导体"),
        (
            "新型显示模组",
            "功率半导体器件",
            "集成电路封装",
            "光通信模块",
            "智能终端主板",
            "工业控制计算机",
            "射频前端芯片",
            "MiniLED背光模组",
        ),
        (
            "薄膜晶体管阵列基板",
            "驱动芯片",
            "柔性显示面板",
            "光电探测器",
            "封装基板",
            "射频滤波器",
            "存储控制器",
            "触控模组",
        ),
        ("良率", "功耗", "散热性能", "信号完整性", "响应速度", "可靠性"),
        ("低温多晶硅工艺", "晶圆级封装", "自适应校准", "多层布线", "激光剥离"),
        ("H01L 21/", "H01L 27/", "G09G 3/", "H05K 1/", "G06F 13/", "H04B 1/"),
        0.75,
        0.35,
    ),
    "machinery_equipment": ClusterVocabulary(
        ("C3421", "C3441", "C3444", "C3491", "C3670", "C3731", "C3811", "C4011"),
        ("机械", "智能装备", "机电", "精密制造", "自动化设备", "重工"),
        (
            "工程机械液压件",
            "工业机器人",
            "数控机床主轴",
            "汽车零部件",
            "智能输送线",
            "船舶动力部件",
            "高压阀门",
            "电梯控制系统",
        ),
        ("液压缸", "减速器", "机械臂关节", "主轴轴承", "伺服控制器", "焊接夹具"),
        ("定位精度", "使用寿命", "装配效率", "振动抑制", "能耗"),
        ("视觉引导", "有限元优化", "模块化设计", "闭环反馈控制", "激光熔覆"),
        ("B25J 9/", "B23Q 3/", "F15B 15/", "F16K 31/", "B66C 13/", "B23K 37/"),
        0.55,
        0.2,
    ),
    "trade_logistics": ClusterVocabulary(
        ("F5164", "F5181", "F5191", "G5431", "G5521", "G5810", "L7224"),
        ("供应链", "贸易", "物流", "国际货运", "进出口"),
        ("大宗商品供应链服务", "跨境电商物流", "冷链仓储", "多式联运服务", "港口集装箱服务"),
        ("仓储调度系统", "集装箱追踪装置", "冷链温控箱", "分拣输送装置"),
        ("周转效率", "追溯精度", "装载率", "温控稳定性"),
        ("物联网定位", "路径优化", "区块链存证", "智能分拣"),
        ("G06Q 10/08", "B65G 1/", "G06Q 50/28", "B65D 88/"),
        0.12,
        0.03,
    ),
    "financial_services": ClusterVocabulary(
        ("J6621", "J6631", "J6760", "J6930", "J6940"),
        ("金融服务", "融资租赁", "资本管理", "金融信息服务"),
        ("供应链金融服务", "科技融资租赁", "创业投资管理", "金融数据服务"),
        ("风险评估模型", "交易清算系统", "征信数据平台"),
        ("风控准确率", "清算时效", "数据安全性"),
        ("联邦学习", "知识图谱", "隐私计算"),
        ("G06Q 40/02", "G06Q 40/04", "G06F 21/"),
        0.08,
        0.02,
    ),
    "biomedicine": ClusterVocabulary(
        ("C2710", "C2720", "C2761", "C2762", "C3581", "C3586", "M7340"),
        ("生物科技", "医药", "生物医药", "医疗器械", "基因科技"),
        (
            "重组蛋白疫苗",
            "体外诊断试剂",
            "单克隆抗体",
            "医用影像设备",
            "化学原料药",
            "高值医用耗材",
        ),
        ("重组抗原", "检测试剂盒", "抗体片段", "缓释制剂", "核酸提取装置", "植入支架"),
        ("灵敏度", "稳定性", "生物利用度", "特异性", "收率"),
        ("病毒样颗粒表达", "微流控芯片", "连续流合成", "冻干工艺", "磁珠分离"),
        ("A61K 39/", "C12N 15/", "G01N 33/", "A61K 9/", "A61B 6/", "C07D 401/"),
        0.8,
        0.9,
    ),
    "new_materials": ClusterVocabulary(
        ("C2651", "C2662", "C3091", "C3240", "C3985", "C3099"),
        ("新材料", "材料科技", "高分子", "稀土材料", "化工科技"),
        ("钨钼合金制品", "稀土发光材料", "石墨烯导热膜", "特种工程塑料", "电子化学品"),
        ("硬质合金涂层", "稀土荧光粉", "导热复合膜", "改性树脂", "光刻胶组合物"),
        ("耐磨性", "导热系数", "纯度", "韧性", "耐候性"),
        ("溶胶凝胶", "气相沉积", "梯度烧结", "原位聚合", "熔盐电解"),
        ("C22C 29/", "C09K 11/", "C08L 69/", "C01B 32/", "C04B 35/", "G03F 7/"),
        0.65,
        0.9,
    ),
    "new_energy": ClusterVocabulary(
        ("C3841", "C3849", "C3825", "C3824", "D4416", "D4415"),
        ("新能源", "储能科技", "能源科技", "电池科技", "光伏科技"),
        ("磷酸铁锂储能电池", "动力电池模组", "光伏逆变器", "储能变流器", "钠离子电池"),
        ("电池管理系统", "正极材料", "电芯模组", "逆变器拓扑", "热管理组件"),
        ("循环寿命", "能量密度", "转换效率", "安全性", "一致性"),
        ("预锂化", "液冷散热", "均衡控制", "干法电极", "智能运维"),
        ("H01M 10/", "H01M 4/", "H02J 7/", "H02M 7/", "H02J 3/32"),
        0.7,
        0.95,
    ),
    "culture_tourism_creative": ClusterVocabulary(
        ("I6572", "M7491", "M7492", "R8760", "R8710"),
        ("文化传媒", "创意设计", "数字娱乐", "文旅发展", "影视科技"),
        ("数字动漫内容", "工业设计服务", "沉浸式文旅演艺", "网络游戏", "影视后期制作"),
        ("虚拟场景渲染系统", "互动展陈装置", "数字藏品平台", "游戏引擎模块"),
        ("沉浸感", "渲染效率", "交互体验"),
        ("实时光线追踪", "动作捕捉", "增强现实"),
        ("G06T 19/", "A63F 13/", "G06Q 50/10", "H04N 21/"),
        0.3,
        0.2,
    ),
    "artificial_intelligence": ClusterVocabulary(
        ("I6513", "I6519", "I6560", "C3491", "I6550"),
        ("智能科技", "人工智能", "数据科技", "机器人"),
        ("计算机视觉平台", "智能语音系统", "行业大模型应用", "服务机器人", "智能驾驶感知系统"),
        ("目标检测模型", "语音识别引擎", "多模态检索系统", "决策规划模块"),
        ("识别准确率", "推理速度", "泛化能力", "鲁棒性"),
        ("深度学习", "知识蒸馏", "强化学习", "图神经网络", "自监督学习"),
        ("G06N 3/08", "G06V 10/", "G10L 15/", "G06F 16/", "B25J 11/"),
        0.85,
        0.9,
    ),
    "hydrogen_storage": ClusterVocabulary(
        ("C3849", "C2619", "C3842", "C3811", "D4419"),
        ("氢能科技", "储能技术", "氢能源", "能源装备"),
        ("碱性电解水制氢装置", "燃料电池电堆", "固态储氢材料", "液流储能电池"),
        ("电解槽极板", "膜电极组件", "储氢合金", "双极板流道"),
        ("产氢效率", "功率密度", "吸放氢速率", "耐久性"),
        ("催化剂涂覆", "流场优化", "阴离子交换膜", "热电联供"),
        ("C25B 1/04", "H01M 8/", "C01B 3/", "F17C 11/"),
        0.8,
        0.95,
    ),
}

CLUSTER_WEIGHTS: dict[str, float] = {
    "electronic_information": 0.20,
    "machinery_equipment": 0.17,
    "trade_logistics": 0.13,
    "financial_services": 0.05,
    "biomedicine": 0.09,
    "new_materials": 0.09,
    "new_energy": 0.07,
    "culture_tourism_creative": 0.10,
    "artificial_intelligence": 0.06,
    "hydrogen_storage": 0.04,
}

SYNTHETIC_MARK = "（示例）"
SYNTHETIC_NOTE = "（合成示例数据）"
