"""The roles a department can have in a measure (``pkg:role``), with the Chinese word notices use.

No imports: the command line reads it when it starts (``--role`` choices).
"""

#: A department's role in a measure as Chinese notices write it (lead 牵头, responsible 负责, support 配合, guide 指导).
ROLE_ZH = {"lead": "牵头", "responsible": "负责", "support": "配合", "guide": "指导"}
