#include "store/demo.h"
#include "app/crypto.h"
#include "core/idcheck.h"
#include "store/gen.h"
#include "store/org_store.h"
#include "store/user_store.h"
#include "util/buf.h"
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 20261123;
static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏"};
static const char *const given_m[] = {"建国", "志强", "国华", "德明", "永胜", "海波", "卫东",
                                      "立新", "文斌", "振华", "春生", "宏伟", "国庆", "长青",
                                      "学军", "红旗", "跃进", "明亮", "家豪", "子轩", "俊杰"};
static const char *const given_f[] = {"秀英", "桂兰", "玉梅", "淑珍", "丽娟", "春梅", "海燕",
                                      "雪梅", "红霞", "小红", "文静", "婷婷", "慧敏", "晓燕",
                                      "丽华", "美玲", "凤英", "金凤", "翠花", "雅琴", "欣怡"};
static const char *const townships[] = {"城关镇", "青石镇", "河口镇", "柳林乡", "双桥镇",
                                        "白马乡", "龙泉镇", "新塘乡", "桃源镇", "东坝街道"};
static const char *const village_names[] = {
    "东关",   "西关",   "南街",   "北街", "前进",   "红星",   "和平",   "新民",   "杨庄",
    "李家",   "王家坝", "张湾",   "刘庄", "陈家岭", "石桥",   "柳树湾", "桃花坞", "杏花",
    "大河",   "小河口", "马家",   "赵村", "白沙",   "黄土岭", "青山",   "龙王庙", "三合",
    "五里铺", "七里河", "十里店", "松林", "枣园",   "梨树沟", "高家",   "周庄",   "吴家桥",
    "孙家湾", "朱家",   "胡村",   "郭庄", "何家店", "罗家",   "郑庄",   "梁家",   "谢家坪",
    "宋庄",   "唐家",   "许家营", "韩村", "冯庄",   "邓家",   "曹庄",   "彭村",   "曾家",
    "肖庄",   "田家",   "董村",   "袁家", "潘庄",   "蒋村",   "蔡家",   "余庄",   "杜村",
    "叶家",   "程庄",   "苏村",   "上营", "下营",   "中心",   "新华"};
static const char *const duties[] = {"主任", "副主任", "委员", "调解员"};
static const char *const professions[] = {
    "village_cadre", "retired_cadre", "teacher",       "lawyer",         "retired_judge",
    "legal_worker",  "grid_worker",   "social_worker", "retired_police", "other"};
static const char *const specialties[] = {
    "marriage_family", "neighbour", "housing_homestead", "contract", "damages",    "forest_land",
    "labour",          "debt",      "property_mgmt",     "traffic",  "inheritance"};

#define COUNTY_CODE "341899"

struct ctx {
    db *d;
    tj_err *err;
    char now[21];
};

static int add_org(struct ctx *c, int64_t parent_id, const char *name, const char *kind,
                   const char *level, const char *region, const char *field, const char *host,
                   const char *ptype, const char *address, const char *phone, const char *founded,
                   int64_t *id)
{
    org_row parent;
    bool found = false;
    if (parent_id && org_get_row(c->d, parent_id, &parent, &found, c->err) != 0)
        return -1;
    org_fields f = {name, kind, level, region, field, host, ptype, address, phone, founded};
    return org_insert(c->d, parent_id ? &parent : NULL, &f, id, c->err);
}

static void person_name(char *out, size_t n, bool male)
{
    snprintf(out, n, "%s%s", surnames[rnd(sizeof surnames / sizeof *surnames)],
             male ? given_m[rnd(sizeof given_m / sizeof *given_m)]
                  : given_f[rnd(sizeof given_f / sizeof *given_f)]);
}

static void make_id(char out[19], bool male)
{
    char base[18];
    int y = 1950 + (int)rnd(50), m = 1 + (int)rnd(12), dd = 1 + (int)rnd(28);
    int seq = (int)rnd(500) * 2 + (male ? 1 : 0);
    snprintf(base, sizeof base, "%s%04d%02d%02d%03d", COUNTY_CODE, y, m, dd, seq);
    snprintf(out, 19, "%s%c", base, idcheck_id_check_char(base));
}

static int add_person(struct ctx *c, int64_t org_id, const char *kind, const char *duty,
                      bool full_time)
{
    bool male = rnd(100) < 62;
    char name[32], id[19], phone[12], masked[32], index[CRYPTO_HASH_HEX];
    person_name(name, sizeof name, male);
    make_id(id, male);
    snprintf(phone, sizeof phone, "1%d%09u", 3 + (int)rnd(7), rnd(1000000000));
    idcheck_mask_id(id, masked, sizeof masked);
    crypto_blind_index(id, index);
    char *sealed = crypto_seal(id);
    char spec[128];
    const char *s1 = specialties[rnd(sizeof specialties / sizeof *specialties)];
    const char *s2 = specialties[rnd(sizeof specialties / sizeof *specialties)];
    if (strcmp(s1, s2) == 0)
        snprintf(spec, sizeof spec, ",%s,", s1);
    else
        snprintf(spec, sizeof spec, ",%s,%s,", s1, s2);
    bool mediator = strcmp(kind, "mediator") == 0;
    int64_t grade = mediator ? 1 + (int64_t)rnd(4) : 0;
    int64_t pid;
    int rc = db_scalar_int(
        c->d, &pid, NULL, c->err,
        "INSERT INTO persons(name, sex, kind, employment, profession, background, specialties,"
        " phone, id_cipher, id_masked, id_index, grade, active, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1,?,?) RETURNING id",
        "sssssssssssIss", name, male ? "male" : "female", kind,
        full_time ? "full_time" : "part_time",
        professions[rnd(sizeof professions / sizeof *professions)], NULL, mediator ? spec : ",",
        phone, sealed, masked, index, grade, c->now, c->now);
    crypto_wipe(id, sizeof id);
    free(sealed);
    if (rc != 0)
        return -1;
    return db_run(c->d, NULL, c->err,
                  "INSERT INTO person_orgs(person_id, org_id, duty) VALUES (?,?,?)", "iis", pid,
                  org_id, duty);
}

static int add_user(struct ctx *c, const char *login, const char *name, int64_t org,
                    const char *role, const char *pw)
{
    char hash[CRYPTO_PWHASH_LEN];
    if (crypto_password_hash(pw, hash, c->err) != 0)
        return -1;
    user_row u = {0};
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.role, sizeof u.role, "%s", role);
    u.org_id = org;
    int64_t id;
    return user_insert(c->d, &u, hash, &id, c->err);
}

static int add_region(struct ctx *c, const char *code, const char *name, const char *level,
                      const char *parent)
{
    return db_run(c->d, NULL, c->err,
                  "INSERT INTO regions(code, name, level, parent_code) VALUES (?,?,?,?)", "ssss",
                  code, name, level, parent);
}

static int build(struct ctx *c)
{
    int64_t bureau, office_cg = 0, village_cg = 0, police = 0, id;
    if (add_region(c, COUNTY_CODE, "青山县", "county", NULL) != 0 ||
        add_org(c, 0, "青山县司法局", "bureau", "county", COUNTY_CODE, NULL, NULL, NULL,
                "青山县人民路88号", "0558-6012148", "1980-06-01", &bureau) != 0)
        return -1;
    /* partner agencies and county-level committees */
    static const struct {
        const char *name, *kind, *field, *host, *ptype;
    } county[] = {
        {"青山县信访局", "partner", NULL, NULL, "petition"},
        {"青山县公安局城关派出所", "partner", NULL, NULL, "police"},
        {"青山县公安局河口派出所", "partner", NULL, NULL, "police"},
        {"青山县人民法院", "partner", NULL, NULL, "court"},
        {"青山县人民检察院", "partner", NULL, NULL, "procuratorate"},
        {"青山县人力资源和社会保障局", "partner", NULL, NULL, "admin"},
        {"中共青山县委政法委员会", "partner", NULL, NULL, "party_gov"},
        {"青山县医疗纠纷人民调解委员会", "committee", "medical", NULL, NULL},
        {"青山县道路交通事故纠纷人民调解委员会", "committee", "traffic", NULL, NULL},
        {"青山县劳动争议人民调解委员会", "committee", "labour", NULL, NULL},
        {"青山县物业纠纷人民调解委员会", "committee", "property", NULL, NULL},
        {"青山县婚姻家庭纠纷人民调解委员会", "committee", "family", NULL, NULL},
        {"青山县人民法院诉前人民调解室", "dispatched_room", NULL, "court", NULL},
        {"青山县信访局人民调解工作室", "dispatched_room", NULL, "petition", NULL},
        {"青山县人民检察院检调对接工作室", "dispatched_room", NULL, "procuratorate", NULL},
    };
    for (size_t i = 0; i < sizeof county / sizeof *county; i++) {
        if (add_org(c, bureau, county[i].name, county[i].kind, "county", COUNTY_CODE,
                    county[i].field, county[i].host, county[i].ptype, "青山县城区", NULL,
                    "2012-03-15", &id) != 0)
            return -1;
        if (i == 1)
            police = id;
        if (strcmp(county[i].kind, "partner") != 0)
            for (int k = 0; k < 3; k++)
                if (add_person(c, id, "mediator", duties[k == 0 ? 0 : 3], k == 0) != 0)
                    return -1;
    }
    /* experts and legal advisors at county level */
    for (int k = 0; k < 12; k++)
        if (add_person(c, bureau, k < 8 ? "expert" : "legal_advisor", "成员", false) != 0)
            return -1;
    size_t vn = 0;
    for (int t = 0; t < 10; t++) {
        char tcode[16], name[128], addr[128];
        snprintf(tcode, sizeof tcode, "%s%03d", COUNTY_CODE, 100 + t + 1);
        bool street = strstr(townships[t], "街道") != NULL;
        if (add_region(c, tcode, townships[t], street ? "street" : "township", COUNTY_CODE) != 0)
            return -1;
        int64_t office, tcomm;
        snprintf(name, sizeof name, "青山县%s司法所", townships[t]);
        snprintf(addr, sizeof addr, "%s政府院内", townships[t]);
        if (add_org(c, bureau, name, "judicial_office", street ? "street" : "township", tcode, NULL,
                    NULL, NULL, addr, NULL, "2003-05-01", &office) != 0)
            return -1;
        if (t == 0)
            office_cg = office;
        snprintf(name, sizeof name, "%s人民调解委员会", townships[t]);
        if (add_org(c, office, name, "committee", street ? "street" : "township", tcode, NULL, NULL,
                    NULL, addr, NULL, "2005-09-01", &tcomm) != 0)
            return -1;
        for (int k = 0; k < 4; k++)
            if (add_person(c, tcomm, "mediator", duties[k < 2 ? k : 3], k < 2) != 0)
                return -1;
        if (t == 0) {
            if (add_org(c, office, "老王调解工作室", "studio", "township", tcode, NULL, NULL, NULL,
                        "城关镇东关街12号", NULL, "2019-04-20", &id) != 0 ||
                add_person(c, id, "mediator", "负责人", true) != 0)
                return -1;
            if (add_org(c, office, "城关派出所人民调解室", "dispatched_room", "township", tcode,
                        NULL, "police", NULL, "城关派出所一楼", NULL, "2018-01-10", &id) != 0 ||
                add_person(c, id, "mediator", "调解员", true) != 0)
                return -1;
        }
        int villages = 8 + (int)rnd(8);
        for (int v = 0; v < villages; v++, vn++) {
            const char *vname = village_names[vn % (sizeof village_names / sizeof *village_names)];
            bool community = street || v == 0;
            char vcode[20], vfull[64];
            snprintf(vcode, sizeof vcode, "%s%03d", tcode, (community ? 1 : 200) + v);
            snprintf(vfull, sizeof vfull, "%s%s", vname, community ? "社区" : "村");
            if (add_region(c, vcode, vfull, community ? "community" : "village", tcode) != 0)
                return -1;
            /* a few villages have no committee yet: the coverage check finds them */
            if (vn % 37 == 36)
                continue;
            snprintf(name, sizeof name, "%s%s人民调解委员会", townships[t], vfull);
            snprintf(addr, sizeof addr, "%s%s村（居）委会", townships[t], vfull);
            if (add_org(c, office, name, "committee", community ? "community" : "village", vcode,
                        NULL, NULL, NULL, addr, NULL, "2010-01-01", &id) != 0)
                return -1;
            if (t == 0 && v == 0)
                village_cg = id;
            int n = 2 + (int)rnd(2);
            for (int k = 0; k < n; k++)
                if (add_person(c, id, "mediator", duties[k == 0 ? 0 : 2], false) != 0)
                    return -1;
            if (add_person(c, id, "informant", "信息员", false) != 0)
                return -1;
            if (rnd(3) == 0 && add_person(c, id, "volunteer", "志愿者", false) != 0)
                return -1;
        }
    }
    static const struct {
        const char *login, *name, *role;
        int org;
    } accounts[] = {
        {"admin", "系统管理员", "admin", 0},           {"bureau", "陈建华", "bureau_staff", 0},
        {"office", "李秀梅", "office_staff", 1},       {"mediator", "王德明", "mediator", 2},
        {"informant", "赵小红", "informant", 2},       {"partner", "刘警官", "partner", 3},
        {"partner_lead", "张所长", "partner_lead", 3}, {"auditor", "孙审计", "auditor", 0},
    };
    int64_t orgs[] = {bureau, office_cg, village_cg, police};
    for (size_t i = 0; i < sizeof accounts / sizeof *accounts; i++)
        if (add_user(c, accounts[i].login, accounts[i].name, orgs[accounts[i].org],
                     accounts[i].role, DEMO_PASSWORD) != 0)
            return -1;
    return db_run(c->d, NULL, c->err, "INSERT INTO settings(key, value) VALUES ('demo', '1')", "");
}

int demo_build(db *d, tj_err *err)
{
    struct ctx c = {d, err, ""};
    clock_iso(clock_unix(), c.now);
    if (db_begin(d, true, err) != 0)
        return -1;
    if (build(&c) != 0 || gen_demo_cases(d, GEN_DEMO_CASES, err) != 0 || db_commit(d, err) != 0) {
        db_rollback(d);
        return -1;
    }
    return 0;
}

int demo_minimal(db *d, const char *org_name, const char *region_code, const char *admin_login,
                 const char *admin_password, tj_err *err)
{
    struct ctx c = {d, err, ""};
    clock_iso(clock_unix(), c.now);
    int64_t root;
    if (db_begin(d, true, err) != 0)
        return -1;
    if (add_org(&c, 0, org_name, "bureau", "county", region_code, NULL, NULL, NULL, NULL, NULL,
                NULL, &root) != 0 ||
        (region_code && add_region(&c, region_code, org_name, "county", NULL) != 0) ||
        add_user(&c, admin_login, "系统管理员", root, "admin", admin_password) != 0 ||
        db_commit(d, err) != 0) {
        db_rollback(d);
        return -1;
    }
    return 0;
}

char *demo_accounts_text(db *d, tj_err *err)
{
    bool found;
    int64_t v;
    if (db_scalar_int(d, &v, &found, err, "SELECT COUNT(*) FROM settings WHERE key = 'demo'", "") !=
            0 ||
        v == 0)
        return NULL;
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT u.login, u.role, o.name FROM users u JOIN orgs o ON o.id = u.org_id"
                 " WHERE u.login IN ('admin','bureau','office','mediator','informant','partner',"
                 "'partner_lead','auditor') ORDER BY u.id",
                 "") != 0)
        return NULL;
    buf b;
    buf_init(&b, 1 << 16);
    buf_printf(&b, "演示账号（密码均为 %s）/ demo accounts (password %s):\n", DEMO_PASSWORD,
               DEMO_PASSWORD);
    while (db_step(s, err) == 1) {
        int r = perm_role_parse(db_col_text(s, 1));
        /* pad by display width: a Chinese character takes two terminal columns */
        const char *label = r >= 0 ? perm_role_label((enum role)r) : db_col_text(s, 1);
        int cols = 0;
        for (const unsigned char *p = (const unsigned char *)label; *p; p++)
            if ((*p & 0xc0) != 0x80)
                cols += *p >= 0xe0 ? 2 : 1;
        buf_printf(&b, "  %-13s %s%*s %s\n", db_col_text(s, 0), label, cols < 16 ? 16 - cols : 0,
                   "", db_col_text(s, 2));
    }
    db_done(s);
    return b.data;
}
