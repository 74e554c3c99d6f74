#include "cli.h"
#include "app/config.h"
#include "app/crypto.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/password.h"
#include "core/perm.h"
#include "db/db.h"
#include "http/server.h"
#include "store/calendar_store.h"
#include "store/audit_store.h"
#include "store/demo.h"
#include "store/gen.h"
#include "store/file_store.h"
#include "store/migrate.h"
#include "store/org_store.h"
#include "store/user_store.h"
#include "util/log.h"

#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *usage_top =
    "用法 / usage: tiaojie <命令> [选项]\n"
    "\n"
    "命令 / commands:\n"
    "  serve        启动 Web 服务 / run the web server\n"
    "  init         创建数据库（--demo 生成演示县数据）/ create a database\n"
    "  migrate      升级数据库结构 / apply schema migrations\n"
    "  gen          生成大规模模拟数据 / generate a province of synthetic data\n"
    "  user         账号管理：add | passwd | disable | enable / manage accounts\n"
    "  demo-accounts 列出演示账号 / print the demo accounts\n"
    "  calendar     工作日计算：add-workdays DATE N | is-workday DATE\n"
    "  permissions  打印权限矩阵（--markdown）/ print the permission matrix\n"
    "  version      显示版本 / print the version\n"
    "\n"
    "通用选项 / common options (also TIAOJIE_* environment variables):\n"
    "  --db PATH          数据库文件（TIAOJIE_DB，默认 var/tiaojie.db）\n"
    "  --key-file PATH    字段加密密钥文件（TIAOJIE_KEY_FILE，默认 <数据库>.key）\n"
    "  --log-level LEVEL  debug|info|warn|error（TIAOJIE_LOG_LEVEL）\n"
    "\n"
    "退出码 / exit codes: 0 成功, 1 运行错误, 2 用法错误\n"
    "每个命令都支持 --help。\n";

static const char *usage_serve =
    "用法: tiaojie serve [--db PATH] [--listen HOST:PORT] [--web DIR] [--threads N]\n"
    "                    [--workers N] [--writers N] [--log-level LEVEL] [--key-file PATH]\n"
    "  --listen   监听地址（TIAOJIE_LISTEN，默认 127.0.0.1:$PORT，PORT 默认 8080）\n"
    "  --web      网页界面目录（TIAOJIE_WEB，默认 web/dist）\n"
    "  --threads  HTTP 轮询线程数（TIAOJIE_THREADS，默认 CPU 核数）\n"
    "  --workers  慢任务工作线程数（TIAOJIE_WORKERS，默认 4）\n"
    "  --writers  写请求线程数（TIAOJIE_WRITERS，默认 32；同时等待的写请求合并提交）\n"
    "环境变量: TIAOJIE_SECURE_COOKIES=1（HTTPS 反向代理之后）, TIAOJIE_TRUST_PROXY=1,\n"
    "  TIAOJIE_MAX_BODY（请求体上限字节）, TIAOJIE_SESSION_IDLE_MIN, TIAOJIE_SESSION_MAX_HOURS\n"
    "  TIAOJIE_CACHE_MB（查询结果缓存上限，单位 MB，0 为关闭，默认 32）\n"
    "  TIAOJIE_WEBHOOK_BACKOFF_MS（对接推送重试间隔基数，默认 30000）,\n"
    "  TIAOJIE_WEBHOOK_TIMEOUT_MS（每次推送超时，默认 10000）\n"
    "启动时自动应用未执行的数据库迁移。SIGTERM/SIGINT 时完成进行中的请求后退出。\n";

static const char *usage_init =
    "用法: tiaojie init [--demo] [--db PATH] [--org-name NAME] [--region CODE] [--admin LOGIN]\n"
    "  创建数据库并执行迁移。--demo 生成演示县（机构、调解员、各角色演示账号）；\n"
    "  否则创建一个司法局根机构和管理员账号，管理员密码从标准输入读取一行\n"
    "  （未提供时随机生成并打印）。数据库已初始化时不做任何修改。\n";

static const char *usage_gen =
    "用法: tiaojie gen --cases N [--seed S] [--years Y] [--today YYYY-MM-DD] [--db PATH]\n"
    "  生成省级规模的模拟数据：按比例的组织网络（市、县、乡镇、村（社区）调委会、行业性专业性\n"
    "  调委会、派驻调解室、调解工作室、对接单位）、调解员和 N 件案件（各种来源、类型和状态，\n"
    "  含当事人、调解记录、协议、回访、期限和时间线），登记日期分布在截至今天的 Y 年内。\n"
    "  同一种子、同一天生成的数据完全相同。数据库须为新建（不存在或尚无机构）；\n"
    "  演示账号与 init --demo 相同。\n"
    "  --cases   案件数，1 至 100000000（必填）\n"
    "  --seed    随机种子，非负整数（默认 1）\n"
    "  --years   年数，1 至 6（默认 3）\n"
    "  --today   把该日期当作今天（默认 Asia/Shanghai 的今天）；生成截至该日零点的数据\n";

static const char *usage_migrate = "用法: tiaojie migrate [--db PATH]\n"
                                   "  执行所有未执行的数据库迁移并显示结构版本。\n";

static const char *usage_user =
    "用法:\n"
    "  tiaojie user add --login L --org ORG_ID --role ROLE [--name N] [--phone P]\n"
    "  tiaojie user passwd --login L\n"
    "  tiaojie user disable --login L\n"
    "  tiaojie user enable --login L\n"
    "  密码从标准输入读取一行（至少 10 位，不能包含登录名）。\n"
    "  ROLE: admin bureau_staff office_staff mediator informant partner partner_lead auditor\n";

enum {
    OPT_DB = 1000,
    OPT_LISTEN,
    OPT_WEB,
    OPT_LOG,
    OPT_KEY,
    OPT_THREADS,
    OPT_WORKERS,
    OPT_WRITERS,
    OPT_DEMO,
    OPT_LOGIN,
    OPT_ORG,
    OPT_ROLE,
    OPT_NAME,
    OPT_PHONE,
    OPT_ORGNAME,
    OPT_REGION,
    OPT_ADMIN,
    OPT_MARKDOWN,
    OPT_HELP
};

static const struct option long_opts[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"web", required_argument, NULL, OPT_WEB},
    {"log-level", required_argument, NULL, OPT_LOG},
    {"key-file", required_argument, NULL, OPT_KEY},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"workers", required_argument, NULL, OPT_WORKERS},
    {"writers", required_argument, NULL, OPT_WRITERS},
    {"demo", no_argument, NULL, OPT_DEMO},
    {"login", required_argument, NULL, OPT_LOGIN},
    {"org", required_argument, NULL, OPT_ORG},
    {"role", required_argument, NULL, OPT_ROLE},
    {"name", required_argument, NULL, OPT_NAME},
    {"phone", required_argument, NULL, OPT_PHONE},
    {"org-name", required_argument, NULL, OPT_ORGNAME},
    {"region", required_argument, NULL, OPT_REGION},
    {"admin", required_argument, NULL, OPT_ADMIN},
    {"markdown", no_argument, NULL, OPT_MARKDOWN},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

struct opts {
    bool demo, markdown, help;
    const char *login, *org, *role, *name, *phone, *org_name, *region, *admin;
    int nargs;
    char *args[4];
};

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "tiaojie: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage);
    return EXIT_USAGE;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

/* Parse flags after the command. Which flags a command accepts is checked by the
 * caller through `allowed` (a string of option ids). */
static int parse(int argc, char **argv, const int *allowed, const char *usage, struct opts *o)
{
    memset(o, 0, sizeof *o);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", long_opts, NULL)) != -1) {
        if (c == '?')
            return usage_error(usage, "未知选项：%s", argv[optind - 1]);
        if (c == ':')
            return usage_error(usage, "选项 %s 需要一个值", argv[optind - 1]);
        if (c == OPT_HELP) {
            o->help = true;
            continue;
        }
        bool ok = false;
        for (const int *a = allowed; *a; a++)
            ok |= *a == c;
        if (!ok)
            return usage_error(usage, "此命令不支持选项 %s", argv[optind - 1]);
        tj_err e = {0};
        int n;
        switch (c) {
        case OPT_DB:
            g_config.db_url = optarg;
            break;
        case OPT_LISTEN:
            if (config_set_listen(&g_config, optarg, &e) != 0)
                return usage_error(usage, "%s", e.msg);
            break;
        case OPT_WEB:
            g_config.web_root = optarg;
            break;
        case OPT_LOG:
            g_config.log_level = optarg;
            break;
        case OPT_KEY:
            g_config.key_file = optarg;
            break;
        case OPT_THREADS:
            if (parse_int(optarg, 1, 256, &n) != 0)
                return usage_error(usage, "--threads 应为 1 到 256 的整数：%s", optarg);
            g_config.threads = n;
            break;
        case OPT_WORKERS:
            if (parse_int(optarg, 1, 256, &n) != 0)
                return usage_error(usage, "--workers 应为 1 到 256 的整数：%s", optarg);
            g_config.workers = n;
            break;
        case OPT_WRITERS:
            if (parse_int(optarg, 1, 256, &n) != 0)
                return usage_error(usage, "--writers 应为 1 到 256 的整数：%s", optarg);
            g_config.writers = n;
            break;
        case OPT_DEMO:
            o->demo = true;
            break;
        case OPT_LOGIN:
            o->login = optarg;
            break;
        case OPT_ORG:
            o->org = optarg;
            break;
        case OPT_ROLE:
            o->role = optarg;
            break;
        case OPT_NAME:
            o->name = optarg;
            break;
        case OPT_PHONE:
            o->phone = optarg;
            break;
        case OPT_ORGNAME:
            o->org_name = optarg;
            break;
        case OPT_REGION:
            o->region = optarg;
            break;
        case OPT_ADMIN:
            o->admin = optarg;
            break;
        case OPT_MARKDOWN:
            o->markdown = true;
            break;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (o->nargs == 4)
            return usage_error(usage, "参数过多：%s", argv[i]);
        o->args[o->nargs++] = argv[i];
    }
    enum log_level lvl;
    if (log_parse_level(g_config.log_level, &lvl) != 0)
        return usage_error(usage, "日志级别无效：%s（应为 debug|info|warn|error）",
                           g_config.log_level);
    log_set_level(lvl);
    return 0;
}

static char key_path_buf[4096];

static const char *key_path(void)
{
    if (g_config.key_file)
        return g_config.key_file;
    snprintf(key_path_buf, sizeof key_path_buf, "%s.key", g_config.db_url);
    return key_path_buf;
}

/* Open the database, set up crypto and migrate. create: allow a new database file
 * (and a new key next to it). */
static int open_db(db **d, bool create)
{
    tj_err e = {0};
    struct stat st;
    bool exists = stat(g_config.db_url, &st) == 0;
    if (!exists && !create) {
        fprintf(stderr, "tiaojie: 数据库 %s 不存在，请先运行 tiaojie init\n", g_config.db_url);
        return -1;
    }
    if (!exists) {
        /* create the parent directory (var/) if needed */
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", g_config.db_url);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = 0;
            mkdir(dir, 0700);
        }
    }
    if (crypto_setup(key_path(), !exists || create, &e) != 0 ||
        db_open(d, g_config.db_url, &e) != 0) {
        fprintf(stderr, "tiaojie: %s\n", e.msg);
        return -1;
    }
    char files[4200];
    snprintf(files, sizeof files, "%s", g_config.files_dir ? g_config.files_dir : "");
    if (!files[0])
        snprintf(files, sizeof files, "%s.files", g_config.db_url);
    if (file_store_init(files, &e) != 0) {
        fprintf(stderr, "tiaojie: %s\n", e.msg);
        db_close(*d);
        return -1;
    }
    int applied;
    if (migrate_up(*d, &applied, &e) != 0) {
        fprintf(stderr, "tiaojie: 数据库迁移失败：%s\n", e.msg);
        db_close(*d);
        return -1;
    }
    return 0;
}

/* Read one line from stdin (a password); strips the newline. */
static int read_secret(char *out, size_t n)
{
    if (!fgets(out, (int)n, stdin))
        return -1;
    size_t len = strlen(out);
    while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
        out[--len] = 0;
    return len ? 0 : -1;
}

static int cmd_serve(int argc, char **argv)
{
    static const int allowed[] = {OPT_DB,      OPT_LISTEN,  OPT_WEB,     OPT_LOG, OPT_KEY,
                                  OPT_THREADS, OPT_WORKERS, OPT_WRITERS, 0};
    struct opts o;
    int rc = parse(argc, argv, allowed, usage_serve, &o);
    if (rc)
        return rc;
    if (o.help)
        return printf("%s", usage_serve), EXIT_OK;
    if (o.nargs)
        return usage_error(usage_serve, "多余的参数：%s", o.args[0]);
    db *d;
    if (open_db(&d, false) != 0)
        return EXIT_FAIL;
    db_close(d); /* worker threads open their own connections */
    tj_err e = {0};
    if (server_run(&g_config, &e) != 0) {
        fprintf(stderr, "tiaojie: %s\n", e.msg);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static int count_orgs(db *d, int64_t *n)
{
    return db_scalar_int(d, n, NULL, NULL, "SELECT COUNT(*) FROM orgs", "");
}

static int cmd_init(int argc, char **argv)
{
    static const int allowed[] = {OPT_DB,      OPT_LOG,    OPT_KEY,   OPT_DEMO,
                                  OPT_ORGNAME, OPT_REGION, OPT_ADMIN, 0};
    struct opts o;
    int rc = parse(argc, argv, allowed, usage_init, &o);
    if (rc)
        return rc;
    if (o.help)
        return printf("%s", usage_init), EXIT_OK;
    if (o.nargs)
        return usage_error(usage_init, "多余的参数：%s", o.args[0]);
    db *d;
    if (open_db(&d, true) != 0)
        return EXIT_FAIL;
    int64_t n = 0;
    tj_err e = {0};
    if (count_orgs(d, &n) != 0) {
        db_close(d);
        return EXIT_FAIL;
    }
    if (n > 0) {
        printf("数据库 %s 已初始化（%lld 个机构），未做修改。\n", g_config.db_url, (long long)n);
        db_close(d);
        return EXIT_OK;
    }
    if (o.demo) {
        if (demo_build(d, &e) != 0) {
            fprintf(stderr, "tiaojie: 生成演示数据失败：%s\n", e.msg);
            db_close(d);
            return EXIT_FAIL;
        }
        count_orgs(d, &n);
        printf("已创建演示数据库 %s（%lld 个机构）。\n", g_config.db_url, (long long)n);
    } else {
        char pw[PASSWORD_MAX_BYTES + 2] = "";
        bool generated = false;
        if (isatty(STDIN_FILENO) || read_secret(pw, sizeof pw) != 0) {
            crypto_token("", pw, sizeof pw);
            pw[16] = 0;
            generated = true;
        }
        const char *admin = o.admin ? o.admin : "admin";
        if (password_policy_check(admin, pw, "password", &e) != 0 ||
            demo_minimal(d, o.org_name ? o.org_name : "本级司法局", o.region, admin, pw, &e) != 0) {
            fprintf(stderr, "tiaojie: %s\n", e.msg);
            crypto_wipe(pw, sizeof pw);
            db_close(d);
            return EXIT_FAIL;
        }
        printf("已创建数据库 %s。管理员账号：%s%s%s\n", g_config.db_url, admin,
               generated ? "，初始密码：" : "", generated ? pw : "");
        crypto_wipe(pw, sizeof pw);
    }
    db_close(d);
    return EXIT_OK;
}

static int cmd_gen(int argc, char **argv)
{
    static const struct option opts[] = {
        {"cases", required_argument, NULL, 'c'},
        {"seed", required_argument, NULL, 's'},
        {"years", required_argument, NULL, 'y'},
        {"today", required_argument, NULL, 't'},
        {"db", required_argument, NULL, 'd'},
        {"key-file", required_argument, NULL, 'k'},
        {"log-level", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    gen_opts go = {.seed = 1, .years = 3}; /* today {0}: gen takes today's date */
    bool help = false, have_cases = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        char *end;
        tj_err e = {0};
        switch (c) {
        case 'c': {
            long long v = strtoll(optarg, &end, 10);
            if (!*optarg || *end || v < 1 || v > 100000000)
                return usage_error(usage_gen, "--cases 应为 1 到 100000000 的整数：%s", optarg);
            go.cases = v;
            have_cases = true;
            break;
        }
        case 's': {
            unsigned long long v = strtoull(optarg, &end, 10);
            if (!*optarg || *end || *optarg == '-')
                return usage_error(usage_gen, "--seed 应为非负整数：%s", optarg);
            go.seed = v;
            break;
        }
        case 'y':
            if (parse_int(optarg, 1, 6, &go.years) != 0)
                return usage_error(usage_gen, "--years 应为 1 到 6 的整数：%s", optarg);
            break;
        case 't':
            if (date_parse(optarg, &go.today, "today", &e) != 0 || go.today.y < 2000 ||
                go.today.y > 2100)
                return usage_error(usage_gen, "--today 应为 YYYY-MM-DD 格式的日期：%s", optarg);
            break;
        case 'd':
            g_config.db_url = optarg;
            break;
        case 'k':
            g_config.key_file = optarg;
            break;
        case 'l':
            g_config.log_level = optarg;
            break;
        case 'h':
            help = true;
            break;
        case ':':
            return usage_error(usage_gen, "选项 %s 需要一个值", argv[optind - 1]);
        default:
            return usage_error(usage_gen, "未知选项：%s", argv[optind - 1]);
        }
    }
    if (help)
        return printf("%s", usage_gen), EXIT_OK;
    if (optind < argc)
        return usage_error(usage_gen, "多余的参数：%s", argv[optind]);
    if (!have_cases)
        return usage_error(usage_gen, "需要 --cases%s", "");
    enum log_level lvl;
    if (log_parse_level(g_config.log_level, &lvl) != 0)
        return usage_error(usage_gen, "日志级别无效：%s", g_config.log_level);
    log_set_level(lvl);
    go.progress = isatty(STDERR_FILENO);
    db *d;
    if (open_db(&d, true) != 0)
        return EXIT_FAIL;
    int64_t n = 0;
    tj_err e = {0};
    gen_report rep = {0};
    if (count_orgs(d, &n) != 0 || n > 0) {
        fprintf(stderr, "tiaojie: 数据库 %s 已有数据（%lld 个机构），gen 只写入新数据库\n",
                g_config.db_url, (long long)n);
        db_close(d);
        return EXIT_FAIL;
    }
    int rc = gen_network(d, &go, &rep, &e);
    db_close(d);
    if (rc != 0 || gen_cases_bulk(g_config.db_url, &go, &rep, &e) != 0) {
        fprintf(stderr, "tiaojie: 生成数据失败：%s\n", e.msg);
        return EXIT_FAIL;
    }
    printf("已生成 %s：%lld 个县、%lld 个机构、%lld 名人员、%lld 件案件（%lld 名当事人、%lld "
           "条时间线记录、%lld 份移送函），"
           "用时 %.1f 秒（组织网络 %.1f 秒，案件 %.1f 秒，索引 %.1f 秒；%.0f 件/秒）\n",
           g_config.db_url, (long long)rep.counties, (long long)rep.orgs, (long long)rep.persons,
           (long long)rep.cases, (long long)rep.parties, (long long)rep.events,
           (long long)rep.referrals, rep.network_s + rep.total_s, rep.network_s, rep.cases_s,
           rep.index_s, rep.total_s > 0 ? (double)rep.cases / rep.total_s : 0.0);
    return EXIT_OK;
}

static int cmd_migrate(int argc, char **argv)
{
    static const int allowed[] = {OPT_DB, OPT_LOG, OPT_KEY, 0};
    struct opts o;
    int rc = parse(argc, argv, allowed, usage_migrate, &o);
    if (rc)
        return rc;
    if (o.help)
        return printf("%s", usage_migrate), EXIT_OK;
    db *d;
    if (open_db(&d, false) != 0)
        return EXIT_FAIL;
    int v = 0;
    migrate_current(d, &v, NULL);
    printf("数据库结构版本 / schema version: %d\n", v);
    db_close(d);
    return EXIT_OK;
}

static int cmd_user(int argc, char **argv)
{
    static const int allowed[] = {OPT_DB,   OPT_LOG,  OPT_KEY,   OPT_LOGIN, OPT_ORG,
                                  OPT_ROLE, OPT_NAME, OPT_PHONE, 0};
    struct opts o;
    int rc = parse(argc, argv, allowed, usage_user, &o);
    if (rc)
        return rc;
    if (o.help)
        return printf("%s", usage_user), EXIT_OK;
    if (o.nargs != 1)
        return usage_error(usage_user, "请指定子命令%s", "（add | passwd | disable | enable）");
    const char *sub = o.args[0];
    bool add = strcmp(sub, "add") == 0, passwd = strcmp(sub, "passwd") == 0;
    bool disable = strcmp(sub, "disable") == 0, enable = strcmp(sub, "enable") == 0;
    if (!add && !passwd && !disable && !enable)
        return usage_error(usage_user, "未知子命令：%s", sub);
    if (!o.login || !*o.login || strlen(o.login) > 63)
        return usage_error(usage_user, "需要 --login%s", "（1–63 个字符）");
    int role = -1, org = 0;
    if (add) {
        role = perm_role_parse(o.role);
        if (role < 0)
            return usage_error(usage_user, "--role 无效：%s", o.role ? o.role : "（未指定）");
        if (!o.org || parse_int(o.org, 1, 2000000000, &org) != 0)
            return usage_error(usage_user, "--org 应为机构编号：%s", o.org ? o.org : "（未指定）");
    }
    db *d;
    if (open_db(&d, false) != 0)
        return EXIT_FAIL;
    tj_err e = {0};
    user_row u;
    bool found;
    char pw[PASSWORD_MAX_BYTES + 2] = "", hash[CRYPTO_PWHASH_LEN];
    int code = EXIT_FAIL;
    if (user_by_login(d, o.login, &u, &found, &e) != 0)
        goto done;
    if (add == found) {
        fprintf(stderr, "tiaojie: 账号 %s %s\n", o.login, found ? "已存在" : "不存在");
        goto done;
    }
    if (add || passwd) {
        if (read_secret(pw, sizeof pw) != 0) {
            fprintf(stderr, "tiaojie: 请从标准输入提供密码（一行）\n");
            code = EXIT_USAGE;
            goto done;
        }
        if (password_policy_check(o.login, pw, "password", &e) != 0) {
            fprintf(stderr, "tiaojie: %s\n", e.msg);
            code = EXIT_USAGE;
            goto done;
        }
        if (crypto_password_hash(pw, hash, &e) != 0)
            goto done;
    }
    if (db_begin(d, true, &e) != 0)
        goto done;
    if (add) {
        org_row orow;
        if (org_get_row(d, org, &orow, &found, &e) != 0)
            goto rollback;
        if (!found) {
            fprintf(stderr, "tiaojie: 机构 %d 不存在\n", org);
            code = EXIT_USAGE;
            goto rollback;
        }
        memset(&u, 0, sizeof u);
        snprintf(u.login, sizeof u.login, "%s", o.login);
        snprintf(u.name, sizeof u.name, "%s", o.name ? o.name : o.login);
        snprintf(u.role, sizeof u.role, "%s", perm_role_name((enum role)role));
        snprintf(u.phone, sizeof u.phone, "%s", o.phone ? o.phone : "");
        u.org_id = org;
        int64_t id;
        if (user_insert(d, &u, hash, &id, &e) != 0)
            goto rollback;
        printf("已创建账号 %s（编号 %lld，%s，%s）\n", u.login, (long long)id,
               perm_role_label((enum role)role), orow.name);
    } else if (passwd) {
        if (user_set_password(d, u.id, hash, 0, &e) != 0)
            goto rollback;
        printf("已修改 %s 的密码，并注销了该账号的所有会话\n", o.login);
    } else {
        if (user_set_disabled(d, u.id, disable, &e) != 0)
            goto rollback;
        printf("已%s账号 %s\n", disable ? "停用" : "启用", o.login);
    }
    /* the command line is audited like the API: the actor is "cli:<system user>" */
    char actor[96];
    const char *sysuser = getenv("SUDO_USER");
    struct passwd *pwent = sysuser ? NULL : getpwuid(getuid());
    if (pwent)
        sysuser = pwent->pw_name;
    snprintf(actor, sizeof actor, "cli:%s", sysuser ? sysuser : "unknown");
    audit_ctx ac = {.who = NULL, .login = actor, .request_id = NULL, .client_ip = "local"};
    if (audit_write(d, &ac,
                    add      ? "create"
                    : passwd ? "password_reset"
                             : "update",
                    "user", o.login,
                    add                 ? json_pack("{s:s,s:s,s:i}", "login", o.login, "role",
                                                    perm_role_name((enum role)role), "org_id", org)
                    : disable || enable ? json_pack("{s:b}", "disabled", disable)
                                        : NULL,
                    &e) != 0)
        goto rollback;
    if (db_commit(d, &e) != 0)
        goto done;
    code = EXIT_OK;
    goto done;
rollback:
    db_rollback(d);
done:
    if (code == EXIT_FAIL && e.msg[0])
        fprintf(stderr, "tiaojie: %s\n", e.msg);
    crypto_wipe(pw, sizeof pw);
    db_close(d);
    return code;
}

static int cmd_demo_accounts(int argc, char **argv)
{
    static const int allowed[] = {OPT_DB, OPT_LOG, OPT_KEY, 0};
    struct opts o;
    int rc = parse(argc, argv, allowed, "用法: tiaojie demo-accounts [--db PATH]\n", &o);
    if (rc)
        return rc;
    db *d;
    if (open_db(&d, false) != 0)
        return EXIT_FAIL;
    tj_err e = {0};
    char *text = demo_accounts_text(d, &e);
    if (text)
        printf("%s", text);
    else
        printf("（该数据库没有演示账号）\n");
    free(text);
    db_close(d);
    return EXIT_OK;
}

static const char *usage_calendar =
    "用法: tiaojie calendar add-workdays DATE N [--db PATH]\n"
    "      tiaojie calendar is-workday DATE [--db PATH]\n"
    "  按国务院节假日安排（含调休）计算工作日；指定 --db 时同时使用管理员维护的调整。\n"
    "  例：tiaojie calendar add-workdays 2025-09-30 5  →  2025-10-14\n";

static int cmd_calendar(int argc, char **argv)
{
    static const int allowed[] = {OPT_DB, OPT_LOG, OPT_KEY, 0};
    const char *db_before = g_config.db_url;
    g_config.db_url = NULL;
    struct opts o;
    int rc = parse(argc, argv, allowed, usage_calendar, &o);
    if (rc)
        return rc;
    if (o.help)
        return printf("%s", usage_calendar), EXIT_OK;
    bool add = o.nargs == 3 && strcmp(o.args[0], "add-workdays") == 0;
    bool is = o.nargs == 2 && strcmp(o.args[0], "is-workday") == 0;
    if (!add && !is)
        return usage_error(usage_calendar, "参数错误%s", "");
    tj_err e = {0};
    tj_date day, out;
    int n = 0;
    if (date_parse(o.args[1], &day, "date", &e) != 0)
        return usage_error(usage_calendar, "日期无效：%s", o.args[1]);
    if (add && parse_int(o.args[2], 0, 3650, &n) != 0)
        return usage_error(usage_calendar, "工作日数应为 0 到 3650 的整数：%s", o.args[2]);
    static calendar cal;
    calendar_init(&cal);
    if (g_config.db_url) {
        db *d;
        if (open_db(&d, false) != 0)
            return EXIT_FAIL;
        rc = calendar_store_load(d, &cal, &e);
        db_close(d);
        if (rc != 0) {
            fprintf(stderr, "tiaojie: %s\n", e.msg);
            return EXIT_FAIL;
        }
    }
    g_config.db_url = db_before;
    char day_s[DATE_STR_SIZE];
    if (is) {
        bool working = calendar_is_working_day(&cal, day);
        printf("%s %s\n", o.args[1], working ? "工作日" : "休息日");
        return EXIT_OK;
    }
    if (calendar_add_working_days(&cal, day, n, &out, &e) != 0) {
        fprintf(stderr, "tiaojie: %s\n", e.msg);
        return EXIT_FAIL;
    }
    date_format(out, day_s);
    printf("%s\n", day_s);
    return EXIT_OK;
}

static int cmd_permissions(int argc, char **argv)
{
    static const int allowed[] = {OPT_MARKDOWN, 0};
    struct opts o;
    int rc = parse(argc, argv, allowed, "用法: tiaojie permissions [--markdown]\n", &o);
    if (rc)
        return rc;
    printf("| 权限 | 说明 |");
    for (int r = 0; r < ROLE__COUNT; r++)
        printf(" %s<br>`%s` |", perm_role_label((enum role)r), perm_role_name((enum role)r));
    printf("\n|---|---|");
    for (int r = 0; r < ROLE__COUNT; r++)
        printf(":-:|");
    printf("\n");
    for (int p = 0; p < PERM__COUNT; p++) {
        printf("| `%s` | %s |", perm_name((enum perm)p), perm_label((enum perm)p));
        for (int r = 0; r < ROLE__COUNT; r++)
            printf(" %s |", perm_allows((enum role)r, (enum perm)p) ? "✓" : "");
        printf("\n");
    }
    return EXIT_OK;
}

int cli_main(int argc, char **argv)
{
    config_defaults(&g_config);
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        printf("%s", usage_top);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *cmd = argv[1];
    argc--;
    argv++;
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc, argv);
    if (strcmp(cmd, "init") == 0)
        return cmd_init(argc, argv);
    if (strcmp(cmd, "migrate") == 0)
        return cmd_migrate(argc, argv);
    if (strcmp(cmd, "gen") == 0)
        return cmd_gen(argc, argv);
    if (strcmp(cmd, "user") == 0)
        return cmd_user(argc, argv);
    if (strcmp(cmd, "demo-accounts") == 0)
        return cmd_demo_accounts(argc, argv);
    if (strcmp(cmd, "calendar") == 0)
        return cmd_calendar(argc, argv);
    if (strcmp(cmd, "permissions") == 0)
        return cmd_permissions(argc, argv);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("tiaojie %s (schema %d, SQLite %s)\n", TJ_VERSION, migrate_latest(),
               db_sqlite_version());
        return EXIT_OK;
    }
    fprintf(stderr, "tiaojie: 未知命令：%s\n\n%s", cmd, usage_top);
    return EXIT_USAGE;
}
