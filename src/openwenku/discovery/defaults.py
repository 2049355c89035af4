"""The default category tree of a Chinese document library.

Seeded by a data migration into an empty table; operators edit it in the admin.
"""

TREE = [
    (
        "办公文档",
        "office",
        [
            "工作总结",
            "工作计划",
            "述职报告",
            "心得体会",
            "演讲致辞",
            "规章制度",
            "合同协议",
            "表格模板",
            "PPT模板",
        ],
    ),
    (
        "教育资料",
        "education",
        [
            "幼儿教育",
            "小学教育",
            "初中教育",
            "高中教育",
            "高等教育",
            "职业教育",
            "考试资料",
            "教案课件",
        ],
    ),
    (
        "行业资料",
        "industry",
        [
            "建筑工程",
            "电力能源",
            "医药卫生",
            "金融财会",
            "信息技术",
            "农林牧渔",
            "机械制造",
            "交通物流",
        ],
    ),
    ("论文", "papers", ["毕业论文", "期刊论文", "开题报告", "文献综述"]),
    ("法律文书", "legal", ["法律法规", "起诉状", "判决书", "合同范本"]),
    ("党政资料", "government", ["党建材料", "政府报告", "调研报告"]),
    ("生活休闲", "life", ["健康养生", "旅游", "美食", "文学"]),
    ("其他", "other", []),
]


def seed_default_categories(category_model) -> int:
    """Create the default tree if the table is empty; return how many were created."""
    if category_model.objects.exists():
        return 0
    created = 0
    for pos, (name, slug, children) in enumerate(TREE):
        parent = category_model.objects.create(name=name, slug=slug, position=pos)
        created += 1
        for child_pos, child in enumerate(children):
            category_model.objects.create(
                name=child, slug=f"{slug}-{child_pos + 1}", parent=parent, position=child_pos
            )
            created += 1
    return created
