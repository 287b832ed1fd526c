# ruff: noqa: E501, C408  (a table of data: one profile a line reads best)
"""A fixed set of 30 freelancers for the relevance checks: Django people in and around Berlin at
various rates and reputations, Django people far away, and people of other trades everywhere.
Keys are short names the tests refer to."""

PROFILES = {
    # the ones a Berlin client looking for a Django developer under 80/h should see first
    "berlin_django_star": dict(headline="Senior Django developer", bio="Django, Python and PostgreSQL for SaaS products.", skills=("Django", "Python", "PostgreSQL"), rate=75, city_name="Berlin", rating="4.9", jss=98),
    "berlin_django_good": dict(headline="Django developer", bio="I build web apps with Django REST framework.", skills=("Django", "REST APIs"), rate=60, city_name="Berlin", rating="4.5", jss=90),
    "potsdam_django": dict(headline="Backend developer (Django)", bio="Django and Celery backends.", skills=("Django", "Python"), rate=65, city_name="Potsdam", rating="4.7", jss=92),
    "berlin_django_new": dict(headline="Junior Django developer", bio="Learning fast; Django projects.", skills=("Django",), rate=35, city_name="Berlin"),
    # Django in Berlin, but too expensive
    "berlin_django_pricey": dict(headline="Django developer and architect", bio="Django at scale.", skills=("Django", "Python"), rate=140, city_name="Berlin", rating="5.0", jss=100),
    # Django, cheap, but far from Berlin
    "hamburg_django": dict(headline="Django developer", bio="Django and Wagtail sites.", skills=("Django",), rate=55, city_name="Hamburg", rating="4.8", jss=95),
    "munich_django": dict(headline="Django developer", bio="Django for fintech.", skills=("Django", "Python"), rate=70, city_name="Munich", rating="4.6", jss=91),
    "lisbon_django": dict(headline="Django developer", bio="Remote Django work.", skills=("Django",), rate=40, city_name="Lisbon", rating="4.9", jss=97),
    "paris_django": dict(headline="Développeur Django", bio="Django and Vue.js.", skills=("Django", "Vue.js"), rate=60, city_name="Paris"),
    # Berlin, cheap, other trades (the words must matter)
    "berlin_designer": dict(headline="Logo designer", bio="Brand identities and logos.", skills=("Logo design", "Graphic design"), rate=45, city_name="Berlin", rating="4.9", jss=99),
    "berlin_react": dict(headline="React developer", bio="Frontends in React and TypeScript.", skills=("React", "TypeScript"), rate=60, city_name="Berlin", rating="4.8", jss=96),
    "berlin_writer": dict(headline="Technical writer", bio="Developer documentation.", skills=("Technical writing",), rate=50, city_name="Berlin"),
    "berlin_php": dict(headline="PHP developer", bio="Laravel and WordPress.", skills=("PHP", "Laravel"), rate=55, city_name="Berlin", rating="4.2", jss=80),
    "berlin_data": dict(headline="Data analyst", bio="Python notebooks and dashboards.", skills=("Data analysis", "Python"), rate=70, city_name="Berlin"),
    "potsdam_plumber": dict(headline="Plumber", bio="Installations and repairs.", skills=("Plumbing",), rate=50, city_name="Potsdam"),
    "berlin_devops": dict(headline="DevOps engineer", bio="Kubernetes and Terraform.", skills=("Kubernetes", "Terraform"), rate=78, city_name="Berlin"),
    "berlin_ios": dict(headline="iOS developer", bio="Swift apps.", skills=("iOS", "Swift"), rate=72, city_name="Berlin"),
    "berlin_seo": dict(headline="SEO consultant", bio="Search rankings.", skills=("SEO",), rate=40, city_name="Berlin"),
    "berlin_va": dict(headline="Virtual assistant", bio="Inbox and calendar.", skills=("Virtual assistance",), rate=25, city_name="Berlin"),
    "berlin_translator": dict(headline="Translator German English", bio="Legal and technical texts.", skills=("Translation",), rate=45, city_name="Berlin"),
    # elsewhere, other trades
    "hamburg_designer": dict(headline="UI designer", bio="Figma prototypes.", skills=("UI design", "Figma"), rate=65, city_name="Hamburg"),
    "munich_accountant": dict(headline="Accountant", bio="Bookkeeping for startups.", skills=("Accounting", "Bookkeeping"), rate=60, city_name="Munich"),
    "lisbon_video": dict(headline="Video editor", bio="YouTube and ads.", skills=("Video editing",), rate=35, city_name="Lisbon"),
    "paris_copy": dict(headline="Copywriter", bio="Landing pages.", skills=("Copywriting",), rate=55, city_name="Paris"),
    "lisbon_flutter": dict(headline="Flutter developer", bio="Cross-platform apps.", skills=("Flutter",), rate=45, city_name="Lisbon"),
    "nowhere_django": dict(headline="Django developer", bio="Fully remote, Django.", skills=("Django",), rate=50),
    "nowhere_python": dict(headline="Python developer", bio="Scripts and automation.", skills=("Python",), rate=45),
    "hamburg_node": dict(headline="Node.js developer", bio="APIs with Express.", skills=("Node.js",), rate=65, city_name="Hamburg"),
    "munich_ml": dict(headline="Machine learning engineer", bio="Models in production.", skills=("Machine learning", "Python"), rate=90, city_name="Munich"),
    "paris_pm": dict(headline="Project manager", bio="Agile delivery.", skills=("Project management",), rate=70, city_name="Paris"),
}  # fmt: skip
