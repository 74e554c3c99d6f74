/* gen.c — see gen.h. Layout: random numbers and text helpers; names and places;
 * the dispute templates; the org catalog and the referring partners; the simulation
 * of one case, with its partner's letters, into a `gcase`; writing a gcase through a
 * sink (the db layer for the demo, raw SQLite statements for the bulk load); the
 * demo; the org network; the bulk load.
 *
 * The bulk load is SQLite-only by nature (it builds the FTS5 index): it talks to
 * SQLite directly for speed and leaves an ordinary database behind. */
#include "store/gen.h"
#include "store/fts_lift.h"
#include "app/crypto.h"
#include "core/calendar.h"
#include "core/case_flow.h"
#include "core/case_no.h"
#include "core/cjk.h"
#include "core/deadline.h"
#include "core/dict.h"
#include "core/idcheck.h"
#include "core/referral.h"
#include "db/sqlite_append.h"
#include "store/demo.h"
#include "store/org_store.h"
#include "store/referral_store.h"
#include "store/user_store.h"
#include "util/clock.h"
#include "util/xmalloc.h"

#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define N_OF(a) ((int)(sizeof(a) / sizeof *(a)))

/* ------------------------------------------------------------------------- */
/* random numbers: splitmix64, one independent stream per case                */

typedef struct rng {
    uint64_t s;
} rng;

static inline uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* uniform in [0, n) */
static inline int rn(rng *r, int n)
{
    return n <= 1 ? 0 : (int)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* uniform in [lo, hi] */
static inline int rr(rng *r, int lo, int hi)
{
    return hi <= lo ? lo : lo + rn(r, hi - lo + 1);
}

/* true with probability p per mille */
static inline bool pm(rng *r, int p)
{
    return rn(r, 1000) < p;
}

static rng rng_for(uint64_t seed, uint64_t stream)
{
    rng r = {seed * 0xD1B54A32D192ED03ULL ^ (stream + 1) * 0x9E3779B97F4A7C15ULL};
    rng_next(&r);
    return r;
}

/* weighted pick: w[i] ≥ 0, n entries */
static int pick_w(rng *r, const int *w, int n)
{
    int tot = 0;
    for (int i = 0; i < n; i++)
        tot += w[i];
    int x = rn(r, tot);
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

#define PICK(r, arr) ((arr)[rn((r), N_OF(arr))])

static int pick_w_uc(rng *r, const unsigned char *w, int n)
{
    int iw[32];
    for (int i = 0; i < n && i < 32; i++)
        iw[i] = w[i];
    return pick_w(r, iw, n < 32 ? n : 32);
}

/* ------------------------------------------------------------------------- */
/* text arena: everything a case needs lives in one buffer, reset per case    */

typedef struct arena_t {
    char *p;
    size_t len, cap;
} arena_t;

/* Each string in the arena is preceded by its length (AR_HDR bytes), so that the
 * bulk writer binds it without a strlen (ar_len); AR_UNKNOWN until it is known. */
#define AR_HDR     4
#define AR_UNKNOWN UINT32_MAX

static void ar_set_len(char *p, size_t n)
{
    uint32_t v = (uint32_t)n;
    memcpy(p - AR_HDR, &v, AR_HDR);
}

static void ar_overflow(void)
{
    /* never reallocated while a case is being built: callers size it generously */
    fprintf(stderr, "gen: text arena exhausted\n");
    abort();
}

static char *ar_alloc(arena_t *a, size_t n)
{
    if (a->len + AR_HDR + n > a->cap)
        ar_overflow();
    char *p = a->p + a->len + AR_HDR;
    a->len += AR_HDR + n;
    ar_set_len(p, AR_UNKNOWN);
    return p;
}

/* Length of s, a string of arena a or any other string. A pointer into the middle
 * of an arena string reads text bytes as its "header", a value far beyond the
 * arena's size, and falls back to strlen like a string from elsewhere. */
static size_t ar_len(const arena_t *a, const char *s)
{
    uintptr_t at = (uintptr_t)s, lo = (uintptr_t)a->p + AR_HDR, hi = (uintptr_t)a->p + a->len;
    if (at >= lo && at < hi) {
        uint32_t v;
        memcpy(&v, s - AR_HDR, AR_HDR);
        if (v < hi - at && s[v] == 0)
            return v;
    }
    return strlen(s);
}

static const char *ar_mem(arena_t *a, const char *s, size_t n)
{
    char *p = ar_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    ar_set_len(p, n);
    return p;
}

static const char *ar_str(arena_t *a, const char *s)
{
    return ar_mem(a, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static const char *ar_printf(arena_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (a->len + AR_HDR > a->cap)
        ar_overflow();
    size_t room = a->cap - a->len - AR_HDR;
    char *p = a->p + a->len + AR_HDR;
    int n = vsnprintf(p, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room)
        ar_overflow();
    a->len += AR_HDR + (size_t)n + 1;
    ar_set_len(p, (size_t)n);
    return p;
}

/* concatenate NULL-terminated list of strings */
static const char *ar_cat(arena_t *a, ...)
{
    va_list ap;
    size_t n = 0;
    va_start(ap, a);
    for (const char *s; (s = va_arg(ap, const char *));)
        n += strlen(s);
    va_end(ap);
    char *p = ar_alloc(a, n + 1), *w = p;
    va_start(ap, a);
    for (const char *s; (s = va_arg(ap, const char *));) {
        size_t k = strlen(s);
        memcpy(w, s, k);
        w += k;
    }
    va_end(ap);
    *w = 0;
    ar_set_len(p, n);
    return p;
}

/* ------------------------------------------------------------------------- */
/* dates as day numbers (core/date.h), times as seconds of the Shanghai day   */

static void day_str(int day, char out[DATE_STR_SIZE])
{
    date_format(date_from_days(day), out);
}

static const char *ar_day(arena_t *a, int day)
{
    char *p = ar_alloc(a, DATE_STR_SIZE);
    day_str(day, p);
    ar_set_len(p, strlen(p));
    return p;
}

/* ISO-8601 UTC of a Shanghai day and local second of day (≥ 08:00, so the UTC
 * date is the same day). */
static const char *ar_at(arena_t *a, int day, int sec)
{
    char *p = ar_alloc(a, 21);
    day_str(day, p);
    int u = sec - 8 * 3600;
    if (u < 0)
        u = 0;
    if (u > 86399)
        u = 86399;
    p[10] = 'T';
    int h = u / 3600, m = u / 60 % 60, s = u % 60;
    p[11] = (char)('0' + h / 10);
    p[12] = (char)('0' + h % 10);
    p[13] = ':';
    p[14] = (char)('0' + m / 10);
    p[15] = (char)('0' + m % 10);
    p[16] = ':';
    p[17] = (char)('0' + s / 10);
    p[18] = (char)('0' + s % 10);
    p[19] = 'Z';
    p[20] = 0;
    ar_set_len(p, 20);
    return p;
}

static int day_of(tj_date d)
{
    return date_to_days(d);
}

static tj_date date_of(int day)
{
    return date_from_days(day);
}

/* ------------------------------------------------------------------------- */
/* JSON of an event body (what a client sends), compact, keys in order        */

typedef struct jb {
    char buf[8192]; /* a referral letter's dispute with eight parties fits */
    size_t n;
} jb;

/* Append k bytes as one piece: dropped whole if it does not fit with room to spare. */
static void jb_mem(jb *j, const char *s, size_t k)
{
    if (j->n + k + 1 < sizeof j->buf) {
        memcpy(j->buf + j->n, s, k);
        j->n += k;
    }
}

static void jb_raw(jb *j, const char *s)
{
    jb_mem(j, s, strlen(s));
}

/* Append k characters one by one: as many as fit, like k one-byte pieces. */
static void jb_chars(jb *j, const char *s, size_t k)
{
    size_t room = j->n + 2 < sizeof j->buf ? sizeof j->buf - 2 - j->n : 0;
    jb_mem(j, s, k < room ? k : room);
}

static void jb_key(jb *j, const char *k)
{
    if (j->n > 1)
        jb_mem(j, ",\"", 2);
    else
        jb_mem(j, "\"", 1);
    jb_mem(j, k, strlen(k));
    jb_mem(j, "\":", 2);
}

static void jb_str(jb *j, const char *k, const char *v)
{
    static const char hex[] = "0123456789abcdef";
    jb_key(j, k);
    jb_mem(j, "\"", 1);
    /* runs without a character to escape are copied whole */
    const unsigned char *p = (const unsigned char *)v, *run = p;
    for (;; p++) {
        unsigned char ch = *p;
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        jb_chars(j, (const char *)run, (size_t)(p - run));
        if (!ch)
            break;
        char e[6] = {'\\', (char)ch};
        if (ch < 0x20) {
            e[1] = 'u';
            e[2] = '0';
            e[3] = '0';
            e[4] = hex[ch >> 4];
            e[5] = hex[ch & 15];
        }
        jb_mem(j, e, ch < 0x20 ? 6 : 2);
        run = p + 1;
    }
    jb_mem(j, "\"", 1);
}

static void jb_int(jb *j, const char *k, int64_t v)
{
    char t[24], *e = t + sizeof t, *w = e;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do
        *--w = (char)('0' + u % 10);
    while ((u /= 10));
    if (v < 0)
        *--w = '-';
    jb_key(j, k);
    jb_mem(j, w, (size_t)(e - w));
}

static void jb_begin(jb *j)
{
    j->n = 0;
    jb_mem(j, "{", 1);
}

static const char *jb_end(jb *j, arena_t *a)
{
    jb_mem(j, "}", 1);
    return ar_mem(a, j->buf, j->n);
}

/* ------------------------------------------------------------------------- */
/* names                                                                      */

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹"};
static const char *const given_m1[] = {"建", "志", "国", "德", "永", "海", "卫", "立", "文",
                                       "振", "春", "宏", "学", "明", "家", "子", "俊", "伟",
                                       "军", "强", "金", "长", "新", "世", "玉", "光", "天",
                                       "晓", "红", "向", "云", "忠", "庆", "福", "宝"};
static const char *const given_m2[] = {"国", "强", "华", "明", "胜", "波", "东", "新", "斌",
                                       "生", "伟", "庆", "青", "军", "亮", "豪", "轩", "杰",
                                       "平", "林", "山", "民", "荣", "辉", "涛", "峰", "刚",
                                       "勇", "成", "祥", "富", "贵", "安", "龙", "海"};
static const char *const given_f1[] = {"秀", "桂", "玉", "淑", "丽", "春", "海", "雪", "红",
                                       "小", "文", "婷", "慧", "晓", "美", "凤", "金", "翠",
                                       "雅", "欣", "佳", "静", "素", "月", "彩", "爱", "巧"};
static const char *const given_f2[] = {"英", "兰", "梅", "珍", "娟", "燕", "霞", "红", "静",
                                       "婷", "敏", "华", "玲", "凤", "花", "琴", "怡", "芳",
                                       "萍", "莉", "娥", "芬", "云", "艳", "丹", "琳", "洁"};

static const char *ar_name(arena_t *a, rng *r, bool male)
{
    /* the commonest surnames a little more often */
    int si = rn(r, 4) == 0 ? rn(r, 10) : rn(r, N_OF(surnames));
    if (rn(r, 6) == 0)
        return ar_cat(a, surnames[si], male ? PICK(r, given_m2) : PICK(r, given_f2), NULL);
    return ar_cat(a, surnames[si], male ? PICK(r, given_m1) : PICK(r, given_f1),
                  male ? PICK(r, given_m2) : PICK(r, given_f2), NULL);
}

static const char *const firm_words[] = {"恒达", "鑫源", "宏远", "永盛", "华泰", "隆昌", "金利",
                                         "顺发", "瑞丰", "康达", "兴旺", "广源", "正大", "天成",
                                         "博远", "嘉禾", "长青", "福临", "祥和", "盛世"};
static const char *const firm_trades[] = {"建材", "建筑工程", "农业开发", "食品",    "物流",
                                          "商贸", "机械制造", "服装",     "家具",    "养殖",
                                          "劳务", "汽车服务", "装饰工程", "电子科技"};

/* ------------------------------------------------------------------------- */
/* place names for the generated province                                     */

static const char *const place_a[] = {
    "清", "河", "安", "平", "宁", "远", "永", "和", "泰", "兴", "德", "昌", "盛", "隆", "华", "丰",
    "阳", "江", "山", "云", "龙", "凤", "鹤", "松", "柏", "桃", "杏", "梅", "兰", "竹", "石", "金",
    "银", "玉", "宝", "长", "乐", "福", "寿", "新", "东", "西", "南", "北", "中", "高", "大", "上",
    "白", "青", "红", "黄", "广", "临", "望", "怀", "承", "汉", "灵", "崇", "武", "文", "仁", "义"};
static const char *const place_b[] = {
    "阳", "山", "水", "川", "江", "河", "源", "湖", "州", "泉", "林", "峰", "岭", "岗", "坪", "塘",
    "溪", "口", "桥", "门", "关", "城", "台", "营", "寨", "庄", "集", "铺", "店", "坝", "湾", "滩",
    "洲", "乐", "安", "宁", "平", "和", "丰", "兴", "昌", "化", "德", "陵", "谷", "田", "沟", "堡",
    "屯", "埠", "渡", "亭", "冈", "原", "丘", "岩", "池", "浦", "涧", "坡", "园", "垣", "阜", "津"};
static const char *const village_names[] = {
    "东关",   "西关",   "南街",   "北街",   "前进",   "红星",   "和平",   "新民",   "杨庄",
    "李家",   "王家坝", "张湾",   "刘庄",   "陈家岭", "石桥",   "柳树湾", "桃花坞", "杏花",
    "大河",   "小河口", "马家",   "赵村",   "白沙",   "黄土岭", "青山",   "龙王庙", "三合",
    "五里铺", "七里河", "十里店", "松林",   "枣园",   "梨树沟", "高家",   "周庄",   "吴家桥",
    "孙家湾", "朱家",   "胡村",   "郭庄",   "何家店", "罗家",   "郑庄",   "梁家",   "谢家坪",
    "宋庄",   "唐家",   "许家营", "韩村",   "冯庄",   "邓家",   "曹庄",   "彭村",   "曾家",
    "肖庄",   "田家",   "董村",   "袁家",   "潘庄",   "蒋村",   "蔡家",   "余庄",   "杜村",
    "叶家",   "程庄",   "苏村",   "上营",   "下营",   "中心",   "新华",   "光明",   "胜利",
    "团结",   "幸福",   "友谊",   "建设",   "向阳",   "东风",   "红旗",   "民主",   "双河",
    "三里桥", "四方",   "六合",   "八里庄", "九龙",   "柏树",   "槐树",   "桑园",   "竹林",
    "荷塘",   "莲花",   "稻香",   "麦田",   "果园",   "茶山",   "牛角",   "马鞍",   "凤凰",
    "卧龙"};

/* ------------------------------------------------------------------------- */
/* dispute templates: {A} first applicant, {B} first respondent, {M} amount,   */
/* {Y} a year, {P} the village or community, {N} a small number               */

enum party_shape {
    PS_PERSON,
    PS_COMPANY,
    PS_HOSPITAL,
    PS_PROPERTY,
    PS_VILLAGE,
    PS_SHOP,
    PS_TRAVEL
};

typedef struct scen {
    const char *title, *facts, *claims;
    int amt_lo, amt_hi; /* yuan; 0 = no amount */
    unsigned char a, b; /* party shapes of applicant and respondent */
} scen;

typedef struct dtype {
    const char *type;
    const scen *sc;
    int n;
    const char *inv; /* what an investigation looks at */
} dtype;

#define SC(...) static const scen __VA_ARGS__
SC(sc_marriage[]) = {
    {"彩礼返还纠纷",
     "{A}之子与{B}之女经人介绍于{Y}年订婚，{A}给付彩礼{M}，后双方解除婚约，{A}要求返还彩礼，{B}"
     "不同意。",
     "返还彩礼{M}", 30000, 200000, 0, 0},
    {"婚约财产纠纷",
     "{A}与{B}订婚时给付彩礼及三金共计{M}，同居半年后分手，双方就彩礼返还数额发生争议。",
     "返还彩礼及财物{M}", 20000, 160000, 0, 0},
    {"离婚纠纷",
     "{A}与{B}系夫妻，婚后因家庭琐事经常争吵，{A}提出离婚，双方对子女抚养和共同财产分割意见不一。",
     "解除婚姻关系，分割共同财产", 0, 0, 0, 0},
    {"抚养费纠纷", "{A}与{B}离婚后，婚生子随{A}生活，{B}自{Y}年起未按约定支付抚养费。",
     "支付拖欠的抚养费{M}", 6000, 40000, 0, 0},
    {"赡养纠纷", "{A}年逾七旬，育有子女三人，{B}作为长子以经济困难为由拒绝承担赡养义务。",
     "按月支付赡养费，轮流照料老人", 0, 0, 0, 0},
};
SC(sc_neighbour[]) = {
    {"相邻通行纠纷", "{B}在自家门前堆放建材，堵塞{A}家出行的唯一通道，双方多次争吵。",
     "清除障碍，恢复通行", 0, 0, 0, 0},
    {"漏水纠纷", "{B}家卫生间长期渗水，导致楼下{A}家天花板霉变脱落，双方协商未果。",
     "修复防水并赔偿损失{M}", 1000, 8000, 0, 0},
    {"噪音纠纷", "{B}在家中开办加工作坊，机器噪音影响{A}一家休息，{A}多次反映未果。",
     "停止噪音侵扰", 0, 0, 0, 0},
    {"排水纠纷", "{B}修建院墙时改变排水走向，雨水倒灌{A}家院内，造成财物受损。",
     "恢复排水沟并赔偿{M}", 500, 5000, 0, 0},
    {"树木遮挡纠纷", "{B}在两家交界处种植杨树，树冠遮挡{A}家采光，落叶堵塞水沟。", "修剪或移除树木",
     0, 0, 0, 0},
};
SC(sc_homestead[]) = {
    {"宅基地纠纷",
     "{A}与{B}系前后邻居，{B}翻建房屋时越过原宅基地界址约半米，{A}认为侵占了自家宅基地。",
     "拆除越界部分，恢复原状", 0, 0, 0, 0},
    {"宅基地使用权纠纷", "{A}称{P}一处老宅基地系其祖上所有，{B}在该宅基上建房，双方各执一词。",
     "确认宅基地使用权", 0, 0, 0, 0},
    {"建房滴水纠纷", "{B}新建楼房屋檐伸出过长，雨水滴落至{A}家宅基地内，双方发生争执。",
     "改造屋檐，停止侵害", 0, 0, 0, 0},
    {"房屋买卖纠纷", "{A}于{Y}年购买{B}房屋一处，已付房款{M}，{B}迟迟不配合办理过户手续。",
     "协助办理房屋过户", 50000, 400000, 0, 0},
};
SC(sc_forest[]) = {
    {"承包地界址纠纷", "{A}与{B}承包地相邻，{B}耕种时多占{A}承包地两垄，双方对界址认识不一。",
     "退还多占的承包地", 0, 0, 0, 0},
    {"山林权属纠纷", "{A}与{B}对{P}后山一片林地的权属发生争议，均称持有林权证。", "确认林地权属", 0,
     0, 0, 0},
    {"土地流转纠纷", "{A}将承包地流转给{B}种植，{B}拖欠{Y}年度流转费{M}。", "支付土地流转费{M}",
     3000, 50000, 0, 0},
};
SC(sc_debt[]) = {
    {"民间借贷纠纷",
     "{B}于{Y}年向{A}借款{M}并出具欠条，约定一年内归还，到期后{B}以资金困难为由未还。",
     "归还借款{M}及利息", 5000, 300000, 0, 0},
    {"欠款纠纷", "{B}向{A}赊购农资，累计欠款{M}，经多次催要未付。", "支付欠款{M}", 2000, 60000, 0,
     0},
    {"追偿纠纷", "{A}为{B}的借款提供担保，{B}未按期还款，{A}代为偿还{M}后向{B}追偿。",
     "偿还代偿款{M}", 10000, 200000, 0, 0},
};
SC(sc_contract[]) = {
    {"买卖合同纠纷", "{A}向{B}供应货物，双方签订买卖合同，{B}收货后拖欠货款{M}。", "支付货款{M}",
     10000, 500000, 1, 1},
    {"装修合同纠纷", "{A}将房屋装修发包给{B}，完工后发现墙面开裂、漏水，双方就质量问题发生争议。",
     "返工维修并退还工程款{M}", 5000, 80000, 0, 1},
    {"建设工程合同纠纷", "{A}承建{B}的厂房工程，竣工验收后{B}尚欠工程款{M}未付。", "支付工程款{M}",
     50000, 900000, 1, 1},
};
SC(sc_production[]) = {
    {"合伙经营纠纷", "{A}与{B}合伙经营养殖场，散伙时对合伙财产及债务分担发生争议。",
     "分割合伙财产{M}", 20000, 300000, 0, 0},
    {"灌溉用水纠纷", "{A}与{B}共用一条灌溉渠，{B}截水灌溉导致{A}家农田缺水减产。",
     "合理分配用水并赔偿{M}", 1000, 10000, 0, 0},
};
SC(sc_damages[]) = {
    {"人身损害赔偿纠纷", "{A}与{B}因琐事发生口角后相互推搡，{A}受伤住院，花去医药费{M}。",
     "赔偿医药费、误工费共{M}", 2000, 60000, 0, 0},
    {"财产损害赔偿纠纷", "{B}家饲养的牛羊进入{A}承包地啃食庄稼，造成损失约{M}。", "赔偿庄稼损失{M}",
     500, 8000, 0, 0},
    {"饲养动物损害纠纷", "{A}途经{B}家门口时被其饲养的狗咬伤，注射疫苗及治疗花费{M}。",
     "赔偿医疗费{M}", 800, 10000, 0, 0},
};
SC(sc_demolition[]) = {
    {"征地补偿纠纷", "{P}因道路建设征收土地，{A}对青苗及附着物补偿标准有异议，与{B}多次协商未果。",
     "提高补偿至{M}", 10000, 200000, 0, 4},
    {"拆迁安置纠纷", "{A}家老房被列入拆迁范围，对安置面积和补偿款{M}有异议。", "重新核定补偿安置",
     100000, 800000, 0, 4},
};
SC(sc_environment[]) = {
    {"养殖污染纠纷", "{B}养殖场污水直排，污染{A}家鱼塘，造成鱼苗死亡，损失约{M}。",
     "停止排污并赔偿{M}", 5000, 80000, 0, 1},
    {"粉尘噪声污染纠纷", "{B}石料加工厂粉尘噪声扰民，影响周边{N}户村民生活。", "整改设备，停止侵害",
     0, 0, 0, 1},
};
SC(sc_labour[]) = {
    {"劳动报酬纠纷", "{A}在{B}从事生产工作，{B}以经营困难为由拖欠{A}工资{M}。", "支付拖欠工资{M}",
     3000, 60000, 0, 1},
    {"工伤待遇纠纷", "{A}在{B}工作期间受伤，经鉴定为十级伤残，双方就工伤待遇协商未果。",
     "支付工伤待遇{M}", 30000, 200000, 0, 1},
    {"解除劳动合同纠纷", "{B}以{A}违反规章制度为由解除劳动合同，{A}认为属违法解除。",
     "支付经济补偿金{M}", 10000, 80000, 0, 1},
};
SC(sc_wage[]) = {
    {"农民工欠薪纠纷", "{A}等{N}人在{B}承建的工地务工，工程完工后{B}拖欠工资{M}。", "支付工资{M}",
     20000, 400000, 0, 1},
    {"拖欠工资纠纷", "{A}在{B}经营的饭店打工半年，离职时{B}拖欠工资{M}。", "结清工资{M}", 3000,
     30000, 0, 0},
};
SC(sc_medical[]) = {
    {"医疗损害纠纷", "{A}在{B}接受手术后出现感染，再次住院治疗，{A}认为医院存在过错。",
     "赔偿医疗费用{M}", 20000, 300000, 0, 2},
    {"医疗服务纠纷", "{A}之母在{B}住院期间病情恶化去世，家属对诊疗过程有异议。",
     "查明原因并赔偿{M}", 50000, 600000, 0, 2},
};
SC(sc_property[]) = {
    {"物业服务合同纠纷",
     "{B}以小区电梯故障频繁、绿化缺乏管护为由拒交{Y}年以来的物业费{M}，{A}多次催缴未果。",
     "缴纳物业费{M}", 1000, 12000, 3, 0},
    {"停车管理纠纷", "{A}的车辆停放在小区内被划伤，认为{B}管理不善。", "赔偿车辆维修费{M}", 800,
     8000, 0, 3},
    {"房屋漏水维修纠纷", "{A}家顶楼房屋漏水，要求{B}使用维修资金维修，{B}以手续不全推诿。",
     "及时维修屋面", 0, 0, 0, 3},
};
SC(sc_traffic[]) = {
    {"交通事故损害赔偿纠纷",
     "{B}驾驶小型轿车与{A}驾驶的电动车相撞，{A}受伤住院，交警认定{B}负主要责任。",
     "赔偿医疗费、误工费等{M}", 5000, 300000, 0, 0},
    {"交通事故财产损失纠纷", "{A}停放的车辆被{B}驾驶的货车刮擦，维修费用{M}，双方就赔偿发生争议。",
     "赔偿车辆维修费{M}", 2000, 40000, 0, 0},
};
SC(sc_consumer[]) = {
    {"产品质量纠纷", "{A}在{B}购买的冰箱使用一月即出现故障，要求退货遭拒。", "退货并退还货款{M}",
     1000, 12000, 0, 5},
    {"预付卡消费纠纷", "{A}在{B}办理健身卡，充值{M}，后该店停业，余额无法退还。", "退还余额{M}",
     1000, 10000, 0, 5},
};
SC(sc_inheritance[]) = {
    {"继承纠纷", "{A}与{B}系兄弟，父亲去世后留下房屋一处，双方对遗产分割发生争议。",
     "依法分割遗产房屋", 0, 0, 0, 0},
    {"遗产分配纠纷", "{A}之父生前存款{M}由{B}保管，{A}要求按份分配。", "分配遗产{M}", 20000, 300000,
     0, 0},
};
SC(sc_tourism[]) = {
    {"旅游服务纠纷", "{A}参加{B}组织的旅游团，行程被擅自变更并被安排购物。", "退还部分团费{M}", 500,
     6000, 0, 6},
};
SC(sc_ecommerce[]) = {
    {"网络购物纠纷", "{A}通过网店向{B}购买农产品，收货后发现质量与描述不符。", "退货退款{M}", 200,
     5000, 0, 1},
};
SC(sc_other[]) = {
    {"集体收益分配纠纷", "{A}与{B}因{P}集体分红分配问题发生争执，双方情绪激动。", "依法公平分配", 0,
     0, 0, 0},
    {"赔礼道歉纠纷", "{B}在微信群中散布{A}的不实言论，{A}认为名誉受损。", "赔礼道歉，消除影响", 0,
     0, 0, 0},
};

static const dtype dtypes[] = {
    {"marriage_family", sc_marriage, N_OF(sc_marriage), "走访双方亲属"},
    {"neighbour", sc_neighbour, N_OF(sc_neighbour), "实地查看现场"},
    {"housing_homestead", sc_homestead, N_OF(sc_homestead), "查阅宅基地档案并丈量界址"},
    {"contract", sc_contract, N_OF(sc_contract), "查阅合同及交易凭证"},
    {"production", sc_production, N_OF(sc_production), "实地查看经营场所"},
    {"damages", sc_damages, N_OF(sc_damages), "调取病历和票据"},
    {"forest_land", sc_forest, N_OF(sc_forest), "查阅承包合同并实地踏勘"},
    {"demolition", sc_demolition, N_OF(sc_demolition), "核对征收补偿方案"},
    {"environment", sc_environment, N_OF(sc_environment), "会同环保部门现场查看"},
    {"labour", sc_labour, N_OF(sc_labour), "核对考勤和工资表"},
    {"wage_arrears", sc_wage, N_OF(sc_wage), "核对务工人员名单和工资表"},
    {"medical", sc_medical, N_OF(sc_medical), "调取病历并咨询医学专家"},
    {"property_mgmt", sc_property, N_OF(sc_property), "查看小区现场和物业合同"},
    {"traffic", sc_traffic, N_OF(sc_traffic), "调取事故认定书和票据"},
    {"consumer", sc_consumer, N_OF(sc_consumer), "查看购物凭证"},
    {"debt", sc_debt, N_OF(sc_debt), "核对欠条和转账记录"},
    {"inheritance", sc_inheritance, N_OF(sc_inheritance), "查阅房产证和亲属关系证明"},
    {"tourism", sc_tourism, N_OF(sc_tourism), "查阅旅游合同和行程单"},
    {"ecommerce", sc_ecommerce, N_OF(sc_ecommerce), "查看订单和聊天记录"},
    {"other", sc_other, N_OF(sc_other), "走访知情群众"},
};
enum {
    T_MARRIAGE,
    T_NEIGHBOUR,
    T_HOMESTEAD,
    T_CONTRACT,
    T_PRODUCTION,
    T_DAMAGES,
    T_FOREST,
    T_DEMOLITION,
    T_ENVIRONMENT,
    T_LABOUR,
    T_WAGE,
    T_MEDICAL,
    T_PROPERTY,
    T_TRAFFIC,
    T_CONSUMER,
    T_DEBT,
    T_INHERITANCE,
    T_TOURISM,
    T_ECOMMERCE,
    T_OTHER,
    T__COUNT
};

/* type mix per kind of org, weights in the order of dtypes[] */
enum profile {
    PR_VILLAGE,
    PR_TOWNSHIP,
    PR_POLICE,
    PR_COURT,
    PR_PETITION,
    PR_PROCURATORATE,
    PR_MEDICAL,
    PR_TRAFFIC,
    PR_LABOUR,
    PR_PROPERTY,
    PR_FAMILY,
    PR_LAND,
    PR_FINANCE,
    PR_STUDIO,
    PR__COUNT
};
static const unsigned char type_mix[PR__COUNT][T__COUNT] = {
    /*            mar nei hom con pro dam for dem env lab wag med pro tra cns deb inh tou eco oth */
    [PR_VILLAGE] = {22, 25, 12, 3, 3, 8, 7, 2, 1, 1, 2, 0, 2, 1, 1, 5, 3, 0, 0, 2},
    [PR_TOWNSHIP] = {15, 15, 10, 6, 4, 10, 7, 4, 2, 3, 4, 1, 3, 3, 2, 7, 3, 0, 0, 1},
    [PR_POLICE] = {12, 25, 3, 2, 1, 30, 1, 0, 1, 1, 2, 0, 1, 12, 3, 5, 0, 0, 1, 0},
    [PR_COURT] = {15, 5, 6, 20, 5, 10, 2, 1, 0, 5, 4, 1, 4, 6, 2, 12, 2, 0, 0, 0},
    [PR_PETITION] = {5, 10, 10, 5, 3, 5, 12, 20, 6, 6, 12, 2, 2, 0, 0, 2, 0, 0, 0, 0},
    [PR_PROCURATORATE] = {5, 10, 5, 10, 5, 40, 2, 2, 2, 5, 10, 0, 0, 2, 0, 2, 0, 0, 0, 0},
    [PR_MEDICAL] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
    [PR_TRAFFIC] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0},
    [PR_LABOUR] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [PR_PROPERTY] = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0},
    [PR_FAMILY] = {8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0},
    [PR_LAND] = {0, 0, 2, 0, 0, 0, 6, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [PR_FINANCE] = {0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 6, 0, 0, 0, 0},
    [PR_STUDIO] = {25, 25, 10, 5, 5, 8, 5, 1, 1, 2, 2, 0, 2, 1, 2, 4, 2, 0, 0, 0},
};

enum { SRC_WALK_IN, SRC_SCREENING, SRC_ONLINE, SRC_REFERRAL, SRC_ASSIGNED, SRC_ESCALATED, SRC__N };
static const char *const src_names[SRC__N] = {"walk_in",  "screening", "online",
                                              "referral", "assigned",  "escalated"};
/* Sources per kind of org. A studio takes no referrals: a referral's target is a
 * committee or a dispatched room (referral_store.c, check_target). */
static const unsigned char source_mix[PR__COUNT][SRC__N] = {
    [PR_VILLAGE] = {50, 30, 6, 8, 6, 0},   [PR_TOWNSHIP] = {38, 14, 10, 16, 8, 14},
    [PR_POLICE] = {28, 0, 2, 70, 0, 0},    [PR_COURT] = {8, 0, 7, 85, 0, 0},
    [PR_PETITION] = {30, 0, 0, 60, 10, 0}, [PR_PROCURATORATE] = {10, 0, 0, 90, 0, 0},
    [PR_MEDICAL] = {55, 0, 15, 25, 5, 0},  [PR_TRAFFIC] = {35, 0, 10, 55, 0, 0},
    [PR_LABOUR] = {50, 5, 15, 25, 5, 0},   [PR_PROPERTY] = {55, 10, 20, 10, 5, 0},
    [PR_FAMILY] = {60, 5, 15, 15, 5, 0},   [PR_LAND] = {40, 20, 5, 20, 15, 0},
    [PR_FINANCE] = {40, 0, 20, 40, 0, 0},  [PR_STUDIO] = {80, 5, 15, 0, 0, 0},
};

/* ------------------------------------------------------------------------- */
/* the org catalog: mediation orgs with what a case needs from them           */

typedef struct gorg {
    int64_t id;
    char path[96], name[128], level[12];
    char county_code[7];
    char township[32], village[32]; /* for addresses and places; "" when unknown */
    bool community;
    int profile;
    int weight;     /* relative case volume */
    int med0, nmed; /* mediators: cat->meds[med0 .. med0+nmed) */
    int up;         /* escalation target (judicial office) index in cat->ups, or -1 */
    int county;     /* index into cat->counties */
    int nums[8];    /* case numbers used per year offset */
    int64_t parent; /* the judicial office or bureau above it, which consults on returns */
    char parent_name[128];
} gorg;

typedef struct gup { /* a judicial office cases are escalated to */
    int64_t id;
    char path[96], name[128], level[12];
    int med0, nmed; /* mediators of its township committee */
} gup;

typedef struct gmed {
    int64_t id;
    char name[32];
} gmed;

/* Partner agencies that refer disputes (docs/referrals.md), by partner_type. */
enum { PT_PETITION, PT_POLICE, PT_COURT, PT_PROCURATORATE, PT_ADMIN, PT__N };
static const char *const pt_names[PT__N] = {"petition", "police", "court", "procuratorate",
                                            "admin"};

typedef struct gpartner {
    int64_t id;
    char path[96], name[128];
    char prefix[64]; /* of its letter numbers: the county's short name, or the station */
    char area[32];   /* a police station's township ("" for the others) */
    char clerk[2][32], phone[2][16], lead[32]; /* who draft the letters, who signs them */
    int type;
    int nums[9]; /* letters numbered per year, from the year before the first */
} gpartner;

typedef struct gcounty {
    char code[7], name[32];
    int vill0, nvill;   /* village orgs of the county: cat->vills[vill0 .. +nvill) */
    int part[PT__N][2]; /* its partners by type: cat->partners[part[t][0 .. npart[t])] */
    int npart[PT__N];
} gcounty;

typedef struct catalog {
    gorg *orgs;
    int norgs;
    gup *ups;
    int nups;
    gmed *meds;
    int nmeds;
    gcounty *counties;
    int ncounties;
    int *vills; /* org indexes of village/community committees grouped by county */
    int nvills;
    int *cum; /* cumulative weights for picking an org */
    int64_t total_w;
    int focus;            /* org whose recent cases are boosted (demo), or -1 */
    int64_t focus_person; /* the demo mediator's person id */
    int64_t focus_user;
    char focus_user_name[64];
    int first_year;
    gpartner *partners; /* loaded for the bulk load only: the demo county has none */
    int npartners;
    int64_t last_referral; /* referral ids, given in case order */
} catalog;

static void catalog_free(catalog *c)
{
    free(c->orgs);
    free(c->ups);
    free(c->meds);
    free(c->counties);
    free(c->vills);
    free(c->cum);
    free(c->partners);
    memset(c, 0, sizeof *c);
}

static int profile_of(const char *kind, const char *level, const char *field, const char *host)
{
    if (strcmp(kind, "dispatched_room") == 0) {
        if (strcmp(host, "police") == 0)
            return PR_POLICE;
        if (strcmp(host, "court") == 0)
            return PR_COURT;
        if (strcmp(host, "procuratorate") == 0)
            return PR_PROCURATORATE;
        return PR_PETITION;
    }
    if (strcmp(kind, "studio") == 0)
        return PR_STUDIO;
    static const struct {
        const char *field;
        int pr;
    } fields[] = {{"medical", PR_MEDICAL},   {"traffic", PR_TRAFFIC}, {"labour", PR_LABOUR},
                  {"property", PR_PROPERTY}, {"family", PR_FAMILY},   {"land", PR_LAND},
                  {"finance", PR_FINANCE}};
    for (int i = 0; i < N_OF(fields); i++)
        if (strcmp(field, fields[i].field) == 0)
            return fields[i].pr;
    if (strcmp(level, "village") == 0 || strcmp(level, "community") == 0)
        return PR_VILLAGE;
    return PR_TOWNSHIP;
}

static int weight_of(int pr, const char *level)
{
    switch (pr) {
    case PR_VILLAGE:
        return strcmp(level, "community") == 0 ? 12 : 10;
    case PR_TOWNSHIP:
        return 60;
    case PR_POLICE:
        return 50;
    case PR_COURT:
        return 110;
    case PR_PETITION:
        return 40;
    case PR_PROCURATORATE:
        return 12;
    case PR_MEDICAL:
        return 35;
    case PR_TRAFFIC:
        return 90;
    case PR_LABOUR:
        return 70;
    case PR_PROPERTY:
        return 45;
    case PR_FAMILY:
        return 50;
    case PR_LAND:
        return 30;
    case PR_FINANCE:
        return 25;
    case PR_STUDIO:
        return 35;
    }
    return 10;
}

#define COPYS(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static int catalog_load_(db *d, catalog *cat, tj_err *err)
{
    memset(cat, 0, sizeof *cat);
    cat->focus = -1;
    int64_t n = 0;
    if (db_scalar_int(d, &n, NULL, err,
                      "SELECT COUNT(*) FROM orgs WHERE kind IN ('committee','dispatched_room',"
                      "'studio','judicial_office') AND dissolved_on IS NULL",
                      "") != 0)
        return -1;
    cat->orgs = xcalloc((size_t)n + 1, sizeof *cat->orgs);
    cat->ups = xcalloc((size_t)n + 1, sizeof *cat->ups);
    int64_t nm = 0;
    if (db_scalar_int(d, &nm, NULL, err, "SELECT COUNT(*) FROM person_orgs", "") != 0)
        return -1;
    cat->meds = xcalloc((size_t)nm + 1, sizeof *cat->meds);
    /* orgs with their region names: village/community and township */
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT o.id, o.path, o.name, o.kind, o.level, COALESCE(o.field, ''),"
                 " COALESCE(o.host, ''), COALESCE(o.region_code, ''), COALESCE(r.name, ''),"
                 " COALESCE(r.level, ''), COALESCE(t.name, ''), COALESCE(pa.name, ''),"
                 " COALESCE(o.parent_id, 0)"
                 " FROM orgs o LEFT JOIN regions r ON r.code = o.region_code"
                 " LEFT JOIN regions t ON t.code = r.parent_code"
                 " LEFT JOIN orgs pa ON pa.id = o.parent_id"
                 " WHERE o.kind IN ('committee','dispatched_room','studio','judicial_office')"
                 " AND o.dissolved_on IS NULL ORDER BY o.id",
                 "") != 0)
        return -1;
    int rc;
    /* parent ids of orgs, to find each org's judicial office afterwards */
    int64_t *parent = xcalloc((size_t)n + 1, sizeof *parent);
    while ((rc = db_step(s, err)) == 1) {
        const char *kind = db_col_text(s, 3), *level = db_col_text(s, 4);
        const char *rlevel = db_col_text(s, 9);
        if (strcmp(kind, "judicial_office") == 0) {
            gup *u = &cat->ups[cat->nups++];
            u->id = db_col_int(s, 0);
            COPYS(u->path, db_col_text(s, 1));
            COPYS(u->name, db_col_text(s, 2));
            COPYS(u->level, level);
            continue;
        }
        gorg *o = &cat->orgs[cat->norgs];
        o->id = db_col_int(s, 0);
        COPYS(o->path, db_col_text(s, 1));
        COPYS(o->name, db_col_text(s, 2));
        COPYS(o->level, level);
        const char *code = db_col_text(s, 7);
        snprintf(o->county_code, sizeof o->county_code, "%.6s", code);
        if (strcmp(rlevel, "village") == 0 || strcmp(rlevel, "community") == 0) {
            COPYS(o->village, db_col_text(s, 8));
            COPYS(o->township, db_col_text(s, 10));
            o->community = strcmp(rlevel, "community") == 0;
        } else if (strcmp(rlevel, "township") == 0 || strcmp(rlevel, "street") == 0) {
            COPYS(o->township, db_col_text(s, 8));
        }
        o->profile = profile_of(kind, level, db_col_text(s, 5), db_col_text(s, 6));
        o->weight = weight_of(o->profile, level);
        o->up = -1;
        parent[cat->norgs] = o->parent = db_col_int(s, 12);
        COPYS(o->parent_name, db_col_text(s, 11));
        cat->norgs++;
    }
    db_done(s);
    if (rc < 0) {
        free(parent);
        return -1;
    }
    /* mediators in org order */
    if (db_query(
            d, &s, err,
            "SELECT po.org_id, p.id, p.name FROM person_orgs po JOIN persons p ON p.id ="
            " po.person_id WHERE p.kind = 'mediator' AND p.active = 1 ORDER BY po.org_id, p.id",
            "") != 0) {
        free(parent);
        return -1;
    }
    int oi = 0;
    while ((rc = db_step(s, err)) == 1) {
        int64_t org = db_col_int(s, 0);
        while (oi < cat->norgs && cat->orgs[oi].id < org)
            oi++;
        gmed *m = &cat->meds[cat->nmeds];
        m->id = db_col_int(s, 1);
        COPYS(m->name, db_col_text(s, 2));
        if (oi < cat->norgs && cat->orgs[oi].id == org) {
            if (!cat->orgs[oi].nmed)
                cat->orgs[oi].med0 = cat->nmeds;
            cat->orgs[oi].nmed++;
            cat->nmeds++;
        }
    }
    db_done(s);
    if (rc < 0) {
        free(parent);
        return -1;
    }
    /* judicial offices: escalation targets of their villages, with the township
     * committee's mediators */
    for (int i = 0; i < cat->norgs; i++) {
        gorg *o = &cat->orgs[i];
        for (int u = 0; u < cat->nups; u++) {
            if (cat->ups[u].id != parent[i])
                continue;
            if (o->profile == PR_VILLAGE)
                o->up = u;
            else if (o->profile == PR_TOWNSHIP && strcmp(o->level, "county") != 0 &&
                     !cat->ups[u].nmed) {
                cat->ups[u].med0 = o->med0;
                cat->ups[u].nmed = o->nmed;
            }
        }
    }
    free(parent);
    for (int i = 0; i < cat->norgs; i++)
        if (cat->orgs[i].up >= 0 && !cat->ups[cat->orgs[i].up].nmed)
            cat->orgs[i].up = -1;
    /* counties and their villages (for addresses of county-level cases) */
    cat->counties = xcalloc((size_t)cat->norgs + 1, sizeof *cat->counties);
    cat->vills = xcalloc((size_t)cat->norgs + 1, sizeof *cat->vills);
    for (int i = 0; i < cat->norgs; i++) {
        gorg *o = &cat->orgs[i];
        int c;
        for (c = 0; c < cat->ncounties; c++)
            if (strcmp(cat->counties[c].code, o->county_code) == 0)
                break;
        if (c == cat->ncounties) {
            COPYS(cat->counties[c].code, o->county_code);
            cat->ncounties++;
        }
        o->county = c;
    }
    for (int c = 0; c < cat->ncounties; c++) {
        cat->counties[c].vill0 = cat->nvills;
        for (int i = 0; i < cat->norgs; i++)
            if (cat->orgs[i].county == c && cat->orgs[i].village[0])
                cat->vills[cat->nvills++] = i;
        cat->counties[c].nvill = cat->nvills - cat->counties[c].vill0;
    }
    if (db_query(d, &s, err, "SELECT code, name FROM regions WHERE length(code) = 6", "") != 0)
        return -1;
    while ((rc = db_step(s, err)) == 1)
        for (int c = 0; c < cat->ncounties; c++)
            if (strcmp(cat->counties[c].code, db_col_text(s, 0)) == 0)
                COPYS(cat->counties[c].name, db_col_text(s, 1));
    db_done(s);
    if (rc < 0)
        return -1;
    /* orgs without mediators take no cases */
    cat->cum = xcalloc((size_t)cat->norgs + 1, sizeof *cat->cum);
    for (int i = 0; i < cat->norgs; i++) {
        if (!cat->orgs[i].nmed)
            cat->orgs[i].weight = 0;
        cat->total_w += cat->orgs[i].weight;
        cat->cum[i] = (int)cat->total_w;
    }
    if (!cat->total_w)
        return err_set(err, 409, "conflict", NULL,
                       "数据库中没有配备调解员的调解组织，无法生成案件");
    return 0;
}

/* Load the mediation orgs, their mediators and the regions from d. */
static int catalog_load(db *d, catalog *cat, tj_err *err)
{
    if (catalog_load_(d, cat, err) == 0)
        return 0;
    catalog_free(cat);
    return -1;
}

static int pick_org(const catalog *cat, rng *r)
{
    int x = rn(r, (int)cat->total_w);
    int lo = 0, hi = cat->norgs - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cat->cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Who refers disputes to an org of each profile, by partner type (PT_ order): a
 * dispatched room its host, an industry committee its usual sources, villages and
 * townships mostly the police station and the petition bureau. Studios take no
 * referrals: a referral's target is a committee or a dispatched room. */
static const unsigned char referrer_mix[PR__COUNT][PT__N] = {
    [PR_VILLAGE] = {45, 42, 5, 4, 4},  [PR_TOWNSHIP] = {50, 30, 10, 5, 5},
    [PR_POLICE] = {0, 1, 0, 0, 0},     [PR_COURT] = {0, 0, 1, 0, 0},
    [PR_PETITION] = {1, 0, 0, 0, 0},   [PR_PROCURATORATE] = {0, 0, 0, 1, 0},
    [PR_MEDICAL] = {50, 20, 25, 0, 5}, [PR_TRAFFIC] = {5, 70, 25, 0, 0},
    [PR_LABOUR] = {40, 5, 20, 0, 35},  [PR_PROPERTY] = {50, 30, 15, 0, 5},
    [PR_FAMILY] = {35, 40, 20, 5, 0},  [PR_LAND] = {60, 10, 20, 0, 10},
    [PR_FINANCE] = {10, 30, 60, 0, 0}, [PR_STUDIO] = {0, 0, 0, 0, 0},
};

#define POLICE_BUREAU  "公安局"
#define POLICE_STATION "派出所"

/* The partners of each county that refer disputes, with the staff who draft and sign
 * their letters (names from the seed). After catalog_load. */
static int partners_load(db *d, catalog *cat, uint64_t seed, tj_err *err)
{
    int64_t n = 0;
    if (db_scalar_int(d, &n, NULL, err, "SELECT COUNT(*) FROM orgs WHERE kind = 'partner'", "") !=
            0 ||
        db_scalar_int(d, &cat->last_referral, NULL, err,
                      "SELECT COALESCE(MAX(id), 0) FROM referrals", "") != 0)
        return -1;
    cat->partners = xcalloc((size_t)n + 1, sizeof *cat->partners);
    db_stmt *s;
    if (db_query(d, &s, err,
                 "SELECT id, path, name, COALESCE(partner_type, ''), COALESCE(region_code, '')"
                 " FROM orgs WHERE kind = 'partner' AND dissolved_on IS NULL ORDER BY id",
                 "") != 0)
        return -1;
    int rc;
    while ((rc = db_step(s, err)) == 1 && cat->npartners < n) {
        int t = 0, c = 0;
        while (t < PT__N && strcmp(pt_names[t], db_col_text(s, 3)) != 0)
            t++;
        while (c < cat->ncounties && strncmp(cat->counties[c].code, db_col_text(s, 4), 6) != 0)
            c++;
        if (t == PT__N || c == cat->ncounties || cat->counties[c].npart[t] == 2)
            continue;
        gpartner *p = &cat->partners[cat->npartners];
        p->id = db_col_int(s, 0);
        p->type = t;
        COPYS(p->path, db_col_text(s, 1));
        COPYS(p->name, db_col_text(s, 2));
        const char *station = strstr(p->name, POLICE_BUREAU);
        const char *cn = cat->counties[c].name;
        size_t cl = strlen(cn);
        if (t == PT_POLICE && station) {
            station += strlen(POLICE_BUREAU);
            COPYS(p->prefix, station);
            const char *end = strstr(station, POLICE_STATION);
            snprintf(p->area, sizeof p->area, "%.*s", (int)(end ? end - station : 0), station);
        } else if (cl > 3) {
            /* 清河县 → 清河 (one three-byte character off) */
            snprintf(p->prefix, sizeof p->prefix, "%.*s", (int)(cl - 3), cn);
        } else {
            COPYS(p->prefix, p->name);
        }
        rng r = rng_for(seed, UINT64_C(0x5EED000000) + (uint64_t)p->id);
        for (int k = 0; k < 3; k++) {
            char nb[64];
            arena_t a = {nb, 0, sizeof nb};
            const char *name = ar_name(&a, &r, rn(&r, 100) < 70);
            if (k < 2) {
                COPYS(p->clerk[k], name);
                snprintf(p->phone[k], sizeof p->phone[k], "1%d%09d", 3 + rn(&r, 7),
                         rn(&r, 1000000000));
            } else {
                COPYS(p->lead, name);
            }
        }
        cat->counties[c].part[t][cat->counties[c].npart[t]++] = cat->npartners++;
    }
    db_done(s);
    return rc < 0 ? -1 : 0;
}

/* The partner that refers a dispute to org o (cat->partners index), or -1 when none
 * of its county's partners refers to such an org. A police station refers the
 * disputes of its own township when the county has one there. */
static int pick_partner(const catalog *cat, const gorg *o, rng *r)
{
    const gcounty *c = &cat->counties[o->county];
    int w[PT__N], tot = 0;
    for (int t = 0; t < PT__N; t++)
        tot += w[t] = c->npart[t] ? referrer_mix[o->profile][t] : 0;
    if (!tot)
        return -1;
    int t = pick_w(r, w, PT__N);
    for (int k = 0; k < c->npart[t]; k++) {
        const gpartner *p = &cat->partners[c->part[t][k]];
        if (p->area[0] && strncmp(o->township, p->area, strlen(p->area)) == 0)
            return c->part[t][k];
    }
    return c->part[t][rn(r, c->npart[t])];
}

/* A letter number in the partner's style: 河口派出所〔2026〕12号, 清河信转〔2026〕3号,
 * （2026）清河法诉前调45号, 清河检调〔2026〕2号, 清河人社调〔2026〕7号. Unique within the
 * partner: numbered per year in the order the generator drafts them. */
static const char *ar_letter_no(arena_t *a, const catalog *cat, gpartner *p, int year)
{
    int yoff = year - cat->first_year + 1;
    int no = ++p->nums[yoff < 0 ? 0 : yoff > 8 ? 8 : yoff];
    switch (p->type) {
    case PT_PETITION:
        return ar_printf(a, "%s信转〔%d〕%d号", p->prefix, year, no);
    case PT_COURT:
        return ar_printf(a, "（%d）%s法诉前调%d号", year, p->prefix, no);
    case PT_PROCURATORATE:
        return ar_printf(a, "%s检调〔%d〕%d号", p->prefix, year, no);
    case PT_ADMIN:
        return ar_printf(a, "%s人社调〔%d〕%d号", p->prefix, year, no);
    default:
        return ar_printf(a, "%s〔%d〕%d号", p->prefix, year, no);
    }
}

/* ------------------------------------------------------------------------- */
/* one simulated case                                                         */

typedef struct gparty {
    const char *role, *kind, *name, *sex, *ethnicity, *birth, *occupation, *id_cipher, *id_masked,
        *id_index, *credit, *legal_rep, *phone, *address, *agent_name, *agent_phone,
        *agent_relation;
} gparty;

typedef struct grec {
    const char *kind, *held_on, *place, *participants, *content, *created_at;
} grec;

typedef struct gfu {
    const char *visited_on, *method, *content, *created_at;
    int satisfaction;
} gfu;

typedef struct gev {
    const char *event, *from, *to, *at, *summary, *detail, *actor_name;
    int64_t org_id, actor_id;
} gev;

typedef struct gdl {
    bool on;
    int start, due, stop; /* stop < 0: open */
} gdl;

typedef struct grev { /* one entry of a referral's timeline */
    const char *event, *from, *to, *at, *actor_name, *org_name, *summary;
    int64_t actor_id, org_id;
} grev;

/* A partner's referral letter and what became of it: the columns referral_store.c
 * fills for the same history. */
typedef struct gref {
    int64_t id, case_id;
    const gpartner *partner;
    const gorg *target;
    referral_state state;
    const char *letter_no, *letter_date, *dispute, *note, *contact_name, *contact_phone,
        *created_by_name, *created_at, *updated_at, *submitted_at, *approved_by_name, *approved_at,
        *approval_comment, *sent_on, *received_on, *receipt_at, *receipt_by_name, *receipt_note,
        *accept_due_on, *decided_on, *return_code, *return_text, *fb_outcome, *fb_text, *fb_due_on,
        *fb_sent_on, *fb_sent_at, *fb_by_name, *ack_at, *ack_by_name, *ack_note;
    const char *title, *dispute_type, *party_names;
    /* a consultation (会商) on a disputed return, open or held */
    const char *dispute_reason, *disputed_at, *disputed_by, *held_on, *participants, *opinion,
        *outcome, *decided_by, *decided_at;
    int64_t decided_org;
    grev evs[8];
    int nevs;
    int day, sec; /* of its last step */
} gref;

typedef struct gcase {
    int64_t id, org_id, reg_org_id, lead_id, created_by, actor_id;
    const char *org_path, *reg_org_path, *case_no, *title, *party_names, *status, *source,
        *dispute_type, *facts, *claims, *place, *occurred_on, *registered_on, *accepted_on, *due_on,
        *extension_reason, *refuse_reason, *withdraw_reason, *agreed_on, *terminated_on, *closed_on,
        *archived_on, *resolved_level, *created_at, *updated_at, *actor_name;
    int flags[4];
    int64_t amount, people;
    bool is_referral;
    case_flow_state state;
    gparty parties[8];
    int nparties;
    int64_t meds[3];
    int nmeds;
    grec recs[4];
    int nrecs;
    bool has_agreement;
    const char *ag_form, *ag_terms, *ag_perf_due, *ag_effective, *ag_perf, *ag_perf_note, *ag_court,
        *ag_applied, *ag_result, *ag_decided;
    int64_t ag_pay, ag_amount;
    bool has_term;
    const char *tm_code, *tm_text, *tm_guidance;
    gfu fus[2];
    int nfus;
    gdl dl[DEADLINE_KIND_COUNT];
    gev evs[20];
    int nevs;
    int end_day, end_sec, perf_day; /* when it was agreed, terminated or withdrawn; performed */
    int64_t referrer;               /* the partner whose letter it was accepted from */
    gref refs[2];                   /* that letter, and one that did not become a case */
    int nrefs;
    const char *tokens, *scope;
    arena_t ar;
} gcase;

typedef struct genctx {
    catalog *cat;
    uint64_t seed;
    int today;     /* day number of today */
    int end_sec;   /* events on `today` only up to this local second */
    int first_day; /* first registration day */
    double *sched; /* cumulative registration weight per day */
    int ndays;
    int64_t ncases;
    char *text; /* scratch for the search text */
    size_t text_cap;
} genctx;

/* amount text in yuan: 8万元, 8.5万元, 5600元 */
static const char *ar_money(arena_t *a, int64_t yuan)
{
    if (yuan >= 10000 && yuan % 1000 == 0) {
        if (yuan % 10000 == 0)
            return ar_printf(a, "%lld万元", (long long)(yuan / 10000));
        return ar_printf(a, "%lld.%lld万元", (long long)(yuan / 10000),
                         (long long)(yuan % 10000 / 1000));
    }
    return ar_printf(a, "%lld元", (long long)yuan);
}

static int64_t draw_amount(rng *r, int lo, int hi)
{
    if (hi <= 0)
        return 0;
    /* skewed towards the low end, rounded like people say amounts */
    int64_t span = hi - lo;
    int64_t v = lo + span * rn(r, 1000) / 1000 * rn(r, 1000) / 1000;
    if (v >= 10000)
        v = v / 1000 * 1000;
    else if (v >= 1000)
        v = v / 100 * 100;
    else
        v = v / 10 * 10;
    return v < 100 ? 100 : v;
}

/* expand a template */
static const char *expand(arena_t *a, const char *t, const char *A, const char *B, const char *M,
                          const char *Y, const char *P, const char *N)
{
    char out[1024];
    size_t w = 0;
    for (const char *p = t; *p && w < sizeof out - 64;) {
        if (p[0] == '{' && p[1] && p[2] == '}') {
            const char *v = p[1] == 'A'   ? A
                            : p[1] == 'B' ? B
                            : p[1] == 'M' ? M
                            : p[1] == 'Y' ? Y
                            : p[1] == 'P' ? P
                                          : N;
            size_t k = strlen(v);
            if (w + k >= sizeof out - 1)
                break;
            memcpy(out + w, v, k);
            w += k;
            p += 3;
        } else {
            out[w++] = *p++;
        }
    }
    out[w] = 0;
    return ar_mem(a, out, w);
}

static const char *ar_mobile(arena_t *a, rng *r)
{
    static const char *const heads[] = {"13", "15", "18", "17", "19", "16", "14"};
    return ar_printf(a, "%s%d%08d", PICK(r, heads), rn(r, 10), rn(r, 100000000));
}

static const char *ar_credit(arena_t *a, rng *r, const char *county)
{
    static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    char c[19];
    c[0] = '9';
    c[1] = '1';
    memcpy(c + 2, county, 6);
    for (int i = 8; i < 17; i++)
        c[i] = cs[rn(r, i == 16 ? 10 : 31)];
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (int)(strchr(cs, c[i]) - cs) * w[i];
    c[17] = cs[(31 - sum % 31) % 31];
    c[18] = 0;
    return ar_str(a, c);
}

/* an address in the case's area */
static void area_of(const genctx *g, const gorg *o, rng *r, const char **town, const char **vill,
                    bool *community)
{
    const catalog *cat = g->cat;
    if (o->village[0]) {
        *town = o->township;
        *vill = o->village;
        *community = o->community;
        return;
    }
    const gcounty *c = &cat->counties[o->county];
    if (c->nvill) {
        const gorg *v = &cat->orgs[cat->vills[c->vill0 + rn(r, c->nvill)]];
        if (o->township[0] && rn(r, 3)) {
            /* a township org: stay in its township when it has villages */
            for (int k = 0; k < 8; k++) {
                const gorg *t = &cat->orgs[cat->vills[c->vill0 + rn(r, c->nvill)]];
                if (strcmp(t->township, o->township) == 0) {
                    v = t;
                    break;
                }
            }
        }
        *town = v->township;
        *vill = v->village;
        *community = v->community;
        return;
    }
    *town = o->township[0] ? o->township : "城关镇";
    *vill = "中心社区";
    *community = true;
}

static const char *ar_address(arena_t *a, rng *r, const char *town, const char *vill,
                              bool community)
{
    if (community)
        return ar_printf(a, "%s%s%d栋%d单元%d室", town, vill, rr(r, 1, 30), rr(r, 1, 4),
                         rr(r, 1, 18) * 100 + rr(r, 1, 4));
    return ar_printf(a, "%s%s%d组%d号", town, vill, rr(r, 1, 12), rr(r, 1, 80));
}

static const char *const occupations[] = {"农民", "农民",     "农民", "务工人员", "个体工商户",
                                          "职工", "退休人员", "教师", "无业",     "自由职业"};
static const char *const ethnic_minor[] = {"回族", "满族", "苗族", "土家族", "壮族", "彝族"};

static void make_person(arena_t *a, rng *r, gparty *p, const char *role, const char *county,
                        const char *town, const char *vill, bool community)
{
    bool male = rn(r, 100) < 58;
    memset(p, 0, sizeof *p);
    p->role = role;
    p->kind = "person";
    p->name = ar_name(a, r, male);
    p->ethnicity = rn(r, 100) < 93 ? "汉族" : PICK(r, ethnic_minor);
    p->occupation = PICK(r, occupations);
    p->phone = rn(r, 100) < 92 ? ar_mobile(a, r) : NULL;
    p->address = rn(r, 100) < 65 ? ar_address(a, r, town, vill, community) : NULL;
    if (rn(r, 100) < 80) {
        /* identity number of the county, born 1945–2005: what the API validates,
         * masks, indexes and seals; sex and birth date come from it */
        int by = rr(r, 1945, 2005), bm = rr(r, 1, 12), bd = rr(r, 1, date_days_in_month(by, bm));
        char id[19], masked[32], index[CRYPTO_HASH_HEX];
        int seq = rn(r, 100) * 10 + rn(r, 5) * 2 + (male ? 1 : 0);
        snprintf(id, sizeof id, "%.6s%04d%02d%02d%03d", county, by, bm, bd, seq);
        id[17] = idcheck_id_check_char(id);
        id[18] = 0;
        idcheck_mask_id(id, masked, sizeof masked);
        crypto_blind_index(id, index);
        char *sealed = crypto_seal_derived(id);
        p->id_cipher = ar_str(a, sealed);
        free(sealed);
        p->id_masked = ar_str(a, masked);
        p->id_index = ar_str(a, index);
        p->birth = ar_printf(a, "%04d-%02d-%02d", by, bm, bd);
        p->sex = male ? "male" : "female";
    } else if (rn(r, 2)) {
        p->sex = male ? "male" : "female";
    }
    if (rn(r, 100) < 8) {
        static const char *const rel[] = {"儿子", "女儿", "配偶", "律师", "基层法律服务工作者",
                                          "兄弟"};
        p->agent_name = ar_name(a, r, rn(r, 2));
        p->agent_phone = ar_mobile(a, r);
        p->agent_relation = PICK(r, rel);
    }
}

static void make_org_party(arena_t *a, rng *r, gparty *p, const char *role, int shape,
                           const char *county, const char *county_name, const char *town,
                           const char *vill, bool community)
{
    memset(p, 0, sizeof *p);
    p->role = role;
    p->kind = "legal_person";
    const char *cn = county_name[0] ? county_name : "本县";
    switch (shape) {
    case PS_HOSPITAL:
        p->name = rn(r, 2) ? ar_cat(a, cn, "人民医院", NULL)
                           : ar_cat(a, town, rn(r, 2) ? "卫生院" : "中心卫生院", NULL);
        break;
    case PS_PROPERTY:
        p->name = ar_cat(a, cn, PICK(r, firm_words), "物业服务有限公司", NULL);
        break;
    case PS_VILLAGE:
        p->name = ar_cat(a, vill, community ? "居民委员会" : "村民委员会", NULL);
        p->kind = "other_org";
        break;
    case PS_SHOP:
        p->name = ar_cat(a, cn, PICK(r, firm_words), rn(r, 2) ? "商贸有限公司" : "健身服务有限公司",
                         NULL);
        break;
    case PS_TRAVEL:
        p->name = ar_cat(a, cn, PICK(r, firm_words), "旅行社有限公司", NULL);
        break;
    default:
        p->name = ar_cat(a, cn, PICK(r, firm_words), PICK(r, firm_trades), "有限公司", NULL);
    }
    p->credit = ar_credit(a, r, county);
    p->legal_rep = ar_name(a, r, rn(r, 100) < 75);
    p->phone = ar_mobile(a, r);
    p->address = ar_printf(a, "%s%s路%d号", town, PICK(r, village_names), rr(r, 1, 300));
    if (rn(r, 100) < 40) {
        p->agent_name = ar_name(a, r, rn(r, 2));
        p->agent_phone = ar_mobile(a, r);
        p->agent_relation = rn(r, 3) ? "公司员工" : "律师";
    }
}

/* ---- the simulation ---- */

typedef struct sim {
    int day, sec;
    const char *actor;
} sim;

/* The time of the next event, on `day` or the current day if later; false when
 * that moment has not come yet (the case stops where it is). */
static bool when(const genctx *g, sim *s, rng *r, int day, gcase *c, const char **at)
{
    if (day < s->day)
        day = s->day;
    int sec = day == s->day ? s->sec + 60 + rn(r, 40 * 60) : 8 * 3600 + 30 * 60 + rn(r, 9 * 3600);
    if (sec > 86399)
        sec = 86399;
    if (day > g->today || (day == g->today && sec > g->end_sec))
        return false;
    s->day = day;
    s->sec = sec;
    *at = ar_at(&c->ar, day, sec);
    return true;
}

static void add_ev(gcase *c, case_flow_event ev, const char *name, case_flow_state from,
                   case_flow_state to, const char *at, int64_t org, const char *summary,
                   const char *detail)
{
    gev *e = &c->evs[c->nevs++];
    e->event = name ? name : case_flow_event_name(ev);
    e->from = name ? NULL : case_flow_state_name(from);
    e->to = case_flow_state_name(to);
    e->at = at;
    e->org_id = org;
    e->summary = summary;
    e->detail = detail;
    e->actor_id = c->actor_id;
    e->actor_name = c->actor_name;
    c->updated_at = at;
}

/* apply a lifecycle event's state change and deadline stops, as case_apply does */
static int step(gcase *c, case_flow_event ev, int day, const char *at, const char *summary,
                const char *detail, int64_t org, tj_err *err)
{
    case_flow_state next;
    if (case_flow_next(c->state, ev, &next, err) != 0)
        return -1;
    unsigned stop = case_flow_deadlines_stopped(ev);
    for (int k = 0; k < DEADLINE_KIND_COUNT; k++)
        if ((stop & DEADLINE_FLAG(k)) && c->dl[k].on && c->dl[k].stop < 0)
            c->dl[k].stop = day;
    add_ev(c, ev, NULL, c->state, next, at, org, summary, detail);
    c->state = next;
    return 0;
}

static void dl_start(gcase *c, deadline_kind k, int start, int due)
{
    c->dl[k].on = true;
    c->dl[k].start = start;
    c->dl[k].due = due;
    c->dl[k].stop = -1;
}

static const char *level_of(const char *org_level)
{
    if (strcmp(org_level, "village") == 0 || strcmp(org_level, "community") == 0)
        return "village";
    if (strcmp(org_level, "township") == 0 || strcmp(org_level, "street") == 0)
        return "township";
    return "county";
}

static const char *const inv_tail[] = {"，了解纠纷起因。", "，核实相关情况。", "，听取群众意见。"};
static const char *const sess_mid[] = {
    "面对面调解，双方分歧较大，约定再谈。", "释法明理，{B}同意适当让步。",
    "邀请亲友参与调解，双方情绪缓和。", "讲解法律规定，{A}降低了诉求。"};
static const char *const sess_agree[] = {"双方互谅互让，自愿达成调解协议。",
                                         "双方就{T}达成一致，当场签订协议。",
                                         "双方协商一致，纠纷得到化解。"};
static const char *const sess_fail[] = {"多次调解，双方仍无法达成一致。",
                                        "{B}拒绝调解方案，调解未果。"};
static const char *const escalate_reasons[] = {"涉及人数较多，本村调委会难以化解",
                                               "当事人对村调委会调解有异议，申请上级调解",
                                               "纠纷涉及多个村组，需乡镇统筹"};
static const char *const refuse_reasons[] = {"纠纷已由人民法院受理", "不属于人民调解受理范围",
                                             "一方当事人明确拒绝调解",
                                             "移送材料不全，退回移送单位"};
static const char *const withdraw_reasons[] = {"双方已自行和解", "申请人决定向人民法院起诉",
                                               "申请人不再主张权利"};
static const char *const extend_reasons[] = {"需等待鉴定结果", "当事人外出务工，需延期调解",
                                             "案情复杂，需进一步调查", "需等待相关部门出具意见"};
static const char *const fu_contents[] = {
    "双方均表示协议已履行，关系和睦。", "当事人对调解结果满意，未再发生纠纷。",
    "协议已部分履行，调解员督促尽快履行完毕。", "双方已恢复正常往来，表示感谢。"};
static const char *const fu_methods[] = {"phone", "phone",   "phone", "visit",
                                         "visit", "meeting", "online"};
static const char *const term_texts[] = {"双方分歧较大，经多次调解未能达成协议",
                                         "一方当事人明确表示不再接受调解",
                                         "被申请人经通知两次未到场", "当事人已向人民法院提起诉讼"};

/* Registration day and local second of case i (0-based) from the schedule. */
static void schedule_of(const genctx *g, int64_t i, int *day, int *sec)
{
    double total = g->sched[g->ndays - 1];
    double x = ((double)i + 0.5) / (double)g->ncases * total;
    int lo = 0, hi = g->ndays - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (g->sched[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    double prev = lo ? g->sched[lo - 1] : 0, w = g->sched[lo] - prev;
    double frac = w > 0 ? (x - prev) / w : 0;
    *day = g->first_day + lo;
    int span = 9 * 3600 + 1800;
    if (*day == g->today && g->end_sec - (8 * 3600 + 1800) < span)
        span = g->end_sec - (8 * 3600 + 1800);
    if (span < 0)
        span = 0;
    *sec = 8 * 3600 + 1800 + (int)(frac * span);
}

/* A dispute as the parties bring it: what registration (or a partner's letter)
 * records, and the template values the rest of its story is told with. */
typedef struct gdispute {
    int ti; /* dtypes[] */
    const scen *sc;
    int64_t yuan;
    const char *A, *B, *M, *Y, *P, *vill;
    bool community;
    const char *dispute_type, *title, *facts, *claims, *place, *occurred_on, *party_names;
    int flags[4];
    int64_t amount, people;
    gparty *parties; /* at most 8 */
    int nparties;
} gdispute;

/* Draw a dispute brought to org o on day R into d, its parties into parties[]. The
 * case's source is drawn between the scenario and the place, where it always was,
 * so that a seed keeps its cases; source NULL draws none (a letter, not a case). */
static void draw_dispute(const genctx *g, const gorg *o, int R, rng *r, arena_t *a, int *source,
                         gparty *parties, gdispute *d)
{
    const catalog *cat = g->cat;
    memset(d, 0, sizeof *d);
    d->parties = parties;
    d->ti = pick_w_uc(r, type_mix[o->profile], T__COUNT);
    const dtype *dt = &dtypes[d->ti];
    const scen *sc = d->sc = &dt->sc[rn(r, dt->n)];
    if (source)
        *source = pick_w_uc(r, source_mix[o->profile], SRC__N);
    d->dispute_type = dt->type;
    const char *town, *vill;
    bool community;
    area_of(g, o, r, &town, &vill, &community);
    d->vill = vill;
    d->community = community;
    const char *county = o->county_code, *county_name = cat->counties[o->county].name;
    int napp = 1, nresp = 1;
    if (pm(r, 60))
        napp = rr(r, 2, 4);
    if (pm(r, 50))
        nresp = 2;
    for (int k = 0; k < napp; k++)
        if (sc->a != PS_PERSON && k == 0)
            make_org_party(a, r, &parties[d->nparties++], "applicant", sc->a, county, county_name,
                           town, vill, community);
        else
            make_person(a, r, &parties[d->nparties++], "applicant", county, town, vill, community);
    for (int k = 0; k < nresp; k++)
        if (sc->b != PS_PERSON && k == 0)
            make_org_party(a, r, &parties[d->nparties++], "respondent", sc->b, county, county_name,
                           town, vill, community);
        else
            make_person(a, r, &parties[d->nparties++], "respondent", county, town, vill, community);
    if (d->ti == T_TRAFFIC && pm(r, 400)) {
        gparty *p = &parties[d->nparties++];
        memset(p, 0, sizeof *p);
        p->role = "third_party";
        p->kind = "legal_person";
        p->name = ar_cat(a, "中国人民财产保险股份有限公司", county_name, "支公司", NULL);
        p->credit = ar_credit(a, r, county);
        p->legal_rep = ar_name(a, r, true);
        p->phone = ar_mobile(a, r);
        p->address = ar_printf(a, "%s人民路%d号", county_name, rr(r, 1, 200));
    } else if (pm(r, 50)) {
        make_person(a, r, &parties[d->nparties++], "third_party", county, town, vill, community);
    }
    const char *A = d->A = parties[0].name, *B = d->B = parties[napp].name;
    /* facts, claims, money */
    d->yuan = draw_amount(r, sc->amt_lo, sc->amt_hi);
    const char *M = d->M = d->yuan ? ar_money(a, d->yuan) : "";
    int occ = R - (pm(r, 300) ? 0 : rr(r, 1, 90));
    const char *Y = d->Y = ar_printf(a, "%d", date_of(R).y - rr(r, 0, 3));
    const char *P = d->P = vill; /* region names carry 村 or 社区 */
    const char *N = ar_printf(a, "%d", rr(r, 3, 30));
    d->title = ar_cat(a, A, napp > 1 ? "等与" : "与", B, sc->title, NULL);
    d->facts = expand(a, sc->facts, A, B, M, Y, P, N);
    d->claims = expand(a, sc->claims, A, B, M, Y, P, N);
    d->amount = d->yuan * 100;
    d->place = pm(r, 900) ? ar_cat(a, town, P, NULL) : NULL;
    d->occurred_on = pm(r, 900) ? ar_day(a, occ) : NULL;
    d->people = d->nparties;
    if (pm(r, 20)) {
        d->flags[0] = 1; /* mass */
        d->people = rr(r, 10, 80);
    }
    d->flags[1] = pm(r, 3);
    d->flags[2] = pm(r, 15);
    d->flags[3] = pm(r, 20);
    char names[1024];
    size_t w = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < d->nparties; k++) {
            bool app = strcmp(parties[k].role, "applicant") == 0;
            if (app != (pass == 0))
                continue;
            w += (size_t)snprintf(names + w, sizeof names - w, "%s%s", w ? "、" : "",
                                  parties[k].name);
            if (w >= sizeof names)
                w = sizeof names - 1;
        }
    d->party_names = ar_str(a, names);
}

/* ---- referral letters (docs/referrals.md) ---- */

static const char *const letter_notes[] = {"当事人双方均同意调解，请予受理。",
                                           "经初步调处，双方同意由人民调解委员会调解，请依法受理。",
                                           "请予受理并及时反馈调处结果。"};
static const char *const approval_comments[] = {"同意移送", "同意", "同意，请跟踪反馈"};
static const char *const return_codes[] = {"out_of_scope", "party_refused", "already_mediated",
                                           "other"};
static const char *const return_texts[][2] = {
    {"该纠纷已进入诉讼程序", "纠纷涉及刑事案件，不宜调解"},
    {"被申请人明确表示不同意调解", "申请人已表示不再要求调解"},
    {"该纠纷已由村调委会调解结案", "双方已自行和解"},
    {"移送材料不全，缺少当事人同意调解书", "当事人联系方式有误，无法通知到场"}};
static const char *const dispute_reasons[] = {"当事人仍有调解意愿，请求会商",
                                              "该纠纷属于民间纠纷，应由人民调解委员会受理"};
static const char *const uphold_opinions[] = {
    "经会商，该纠纷不宜由人民调解委员会受理，维持退回意见。",
    "经会商，退回理由成立，建议移送单位依法另行处理。"};

/* The dispute of a letter as referral_create stores it: the case body it will become,
 * identity numbers sealed and masked (the case party's sealed value: the same number,
 * and the same for a seed). */
static const char *ar_dispute(arena_t *a, const gdispute *d)
{
    static const char *const flag_names[] = {"mass", "military", "petition", "litigation"};
    jb j, pj;
    jb_begin(&j);
    jb_str(&j, "title", d->title);
    jb_str(&j, "dispute_type", d->dispute_type);
    if (d->flags[0] || d->flags[1] || d->flags[2] || d->flags[3]) {
        jb_key(&j, "flags");
        jb_raw(&j, "[");
        for (int k = 0, n = 0; k < 4; k++)
            if (d->flags[k]) {
                jb_raw(&j, n++ ? ",\"" : "\"");
                jb_raw(&j, flag_names[k]);
                jb_raw(&j, "\"");
            }
        jb_raw(&j, "]");
    }
    jb_str(&j, "facts", d->facts);
    jb_str(&j, "claims", d->claims);
    if (d->amount)
        jb_int(&j, "amount", d->amount);
    jb_int(&j, "people_involved", d->people);
    if (d->place)
        jb_str(&j, "place", d->place);
    if (d->occurred_on)
        jb_str(&j, "occurred_on", d->occurred_on);
    jb_key(&j, "parties");
    jb_raw(&j, "[");
    for (int i = 0; i < d->nparties; i++) {
        const gparty *p = &d->parties[i];
        const char *const kv[][2] = {{"role", p->role},
                                     {"kind", p->kind},
                                     {"name", p->name},
                                     {"sex", p->id_cipher ? NULL : p->sex},
                                     {"ethnicity", p->ethnicity},
                                     {"occupation", p->occupation},
                                     {"credit_code", p->credit},
                                     {"legal_rep", p->legal_rep},
                                     {"phone", p->phone},
                                     {"address", p->address},
                                     {"agent_name", p->agent_name},
                                     {"agent_phone", p->agent_phone},
                                     {"agent_relation", p->agent_relation},
                                     {"id_sealed", p->id_cipher},
                                     {"id_number_masked", p->id_masked}};
        jb_begin(&pj);
        for (int k = 0; k < N_OF(kv); k++)
            if (kv[k][1])
                jb_str(&pj, kv[k][0], kv[k][1]);
        jb_mem(&pj, "}", 1);
        if (i)
            jb_raw(&j, ",");
        jb_mem(&j, pj.buf, pj.n);
    }
    jb_raw(&j, "]");
    return jb_end(&j, a);
}

/* The moment of a letter's next step on `day` (never before its last step), before
 * limit_sec when it falls on limit_day: a letter reaches the committee before the
 * case is registered from it. */
static const char *ref_at(arena_t *a, gref *f, rng *r, int day, int limit_day, int limit_sec)
{
    bool same = day <= f->day;
    if (same)
        day = f->day;
    int lo = same ? f->sec + 1 : 8 * 3600 + (day == limit_day ? 0 : 1800);
    int span = same ? 40 * 60 : 9 * 3600;
    if (day == limit_day && lo + span >= limit_sec)
        span = (limit_sec - lo) / 2;
    int sec = lo + (span > 0 ? rn(r, span) : 0);
    if (day == limit_day && sec > limit_sec)
        sec = limit_sec;
    f->day = day;
    f->sec = sec > 86399 ? 86399 : sec;
    return ar_at(a, day, f->sec);
}

static void ref_record(gref *f, const char *event, const char *from, const char *to, const char *at,
                       int64_t actor_id, const char *actor, int64_t org_id, const char *org_name,
                       const char *summary)
{
    grev *e = &f->evs[f->nevs++];
    *e = (grev){event, from, to, at, actor, org_name, summary, actor_id, org_id};
    f->updated_at = at;
}

/* Take ev on the letter: the state machine's check (as referral_apply's), then the
 * timeline entry. */
static int ref_step(gref *f, referral_event ev, const char *at, int64_t actor_id, const char *actor,
                    int64_t org_id, const char *org_name, const char *summary, tj_err *err)
{
    referral_state next;
    if (f->nevs == N_OF(f->evs))
        return err_set(err, 500, "internal", NULL, "生成移送的时间线过长");
    if (referral_next(f->state, ev, &next, err) != 0)
        return -1;
    ref_record(f, referral_event_name(ev), referral_state_name(f->state), referral_state_name(next),
               at, actor_id, actor, org_id, org_name, summary);
    f->state = next;
    return 0;
}

/* A letter of partner p about dispute d to org o: drafted on L by one of the partner's
 * clerks (or its lead, who then approves the draft at once), submitted, approved and
 * sent on S (the accept-or-return period starts: electronic delivery is receipt). */
static int letter_send(const genctx *g, gcase *c, gpartner *p, const gorg *o, rng *r,
                       const gdispute *d, int L, int S, int limit_day, int limit_sec, tj_err *err)
{
    arena_t *a = &c->ar;
    catalog *cat = g->cat;
    gref *f = &c->refs[c->nrefs++];
    memset(f, 0, sizeof *f);
    f->id = ++cat->last_referral;
    f->partner = p;
    f->target = o;
    f->state = REFERRAL_DRAFT;
    f->letter_no = ar_letter_no(a, cat, p, date_of(L).y);
    f->letter_date = ar_day(a, L);
    f->title = d->title;
    f->dispute_type = d->dispute_type;
    f->party_names = d->party_names;
    f->dispute = ar_dispute(a, d);
    int k = rn(r, 2);
    bool lead_drafts = pm(r, 250);
    f->contact_name = p->clerk[k];
    f->contact_phone = p->phone[k];
    f->created_by_name = lead_drafts ? p->lead : p->clerk[k];
    f->note = pm(r, 850) ? PICK(r, letter_notes) : NULL;
    const char *at = ref_at(a, f, r, L, limit_day, limit_sec);
    f->created_at = at;
    ref_record(f, "create", NULL, referral_state_name(REFERRAL_DRAFT), at, 0, f->created_by_name,
               p->id, p->name, ar_printf(a, REFERRAL_SUM_CREATE, f->letter_no, o->name));
    if (!lead_drafts) {
        at = ref_at(a, f, r, L, limit_day, limit_sec);
        f->submitted_at = at;
        if (ref_step(f, REFERRAL_EV_SUBMIT, at, 0, p->clerk[k], p->id, p->name, REFERRAL_SUM_SUBMIT,
                     err) != 0)
            return -1;
    }
    tj_date due;
    if (referral_accept_due(NULL, NULL, date_of(S), &due, err) != 0)
        return -1;
    at = ref_at(a, f, r, S, limit_day, limit_sec);
    f->approved_by_name = p->lead;
    f->approved_at = at;
    f->approval_comment = pm(r, 600) ? PICK(r, approval_comments) : NULL;
    if (!f->submitted_at)
        f->submitted_at = at;
    f->sent_on = f->received_on = ar_day(a, S);
    f->accept_due_on = ar_day(a, day_of(due));
    return ref_step(f, REFERRAL_EV_APPROVE, at, 0, p->lead, p->id, p->name,
                    ar_printf(a, REFERRAL_SUM_APPROVE, p->lead, o->name, f->accept_due_on), err);
}

/* The committee's receipt (回执), recorded on `day`, of a letter that reached it on
 * `received` (a paper letter may have come with the parties before it was sent). */
static int letter_receipt(gcase *c, gref *f, rng *r, int day, int received, int64_t who_id,
                          const char *who, int limit_day, int limit_sec, tj_err *err)
{
    arena_t *a = &c->ar;
    tj_date letter, sent, due;
    if (date_parse(f->letter_date, &letter, NULL, err) != 0 ||
        date_parse(f->sent_on, &sent, NULL, err) != 0 ||
        referral_check_received_on(letter, sent, date_of(received), err) != 0 ||
        referral_accept_due(NULL, NULL, date_of(received), &due, err) != 0)
        return -1;
    const char *at = ref_at(a, f, r, day, limit_day, limit_sec);
    f->received_on = ar_day(a, received);
    f->accept_due_on = ar_day(a, day_of(due));
    f->receipt_at = at;
    f->receipt_by_name = who;
    f->receipt_note = received < day_of(sent) ? "当事人持函到场，先行接收" : NULL;
    return ref_step(
        f, REFERRAL_EV_RECEIPT, at, who_id, who, f->target->id, f->target->name,
        ar_printf(a, REFERRAL_SUM_RECEIPT, f->target->name, f->received_on, f->accept_due_on), err);
}

/* A decision (accept, return) on `day`: its date checked as referral_apply checks it,
 * and the receipt it implies when none was recorded. */
static int letter_decide(const genctx *g, gref *f, int day, const char *day_s, const char *at,
                         const char *who, const char *field, tj_err *err)
{
    tj_date received;
    if (date_parse(f->received_on, &received, NULL, err) != 0 ||
        referral_check_decision_date(received, date_of(day), date_of(g->today), field, err) != 0)
        return -1;
    if (!f->receipt_at) {
        f->receipt_at = at;
        f->receipt_by_name = who;
    }
    f->decided_on = day_s;
    return 0;
}

/* The letter a referral case came with, up to its acceptance at `at` (R, Rsec), where
 * referral_store.c's accept registers the case and accepts it in one step: drafted a
 * few days before, approved and sent, sometimes with a receipt first. The committee
 * member who signs the receipt and accepts is the one who registers the case. */
static int letter_accepted(const genctx *g, gcase *c, gpartner *p, const gorg *o, rng *r,
                           const gdispute *d, int R, int Rsec, const char *at, tj_err *err)
{
    arena_t *a = &c->ar;
    int L = R - (pm(r, 300) ? 0 : pm(r, 850) ? rr(r, 1, 3) : rr(r, 4, 9));
    int S = L < R && pm(r, 300) ? L + 1 : L;
    if (letter_send(g, c, p, o, r, d, L, S, R, Rsec, err) != 0)
        return -1;
    gref *f = &c->refs[c->nrefs - 1];
    if (pm(r, 350) && letter_receipt(c, f, r, S + rn(r, R - S + 1), L < S && pm(r, 200) ? L : S,
                                     c->actor_id, c->actor_name, R, Rsec, err) != 0)
        return -1;
    f->day = R;
    f->sec = Rsec;
    if (letter_decide(g, f, R, c->registered_on, at, c->actor_name, "accepted_on", err) != 0)
        return -1;
    f->case_id = c->id;
    return ref_step(f, REFERRAL_EV_ACCEPT, at, c->actor_id, c->actor_name, o->id, o->name,
                    ar_printf(a, REFERRAL_SUM_ACCEPT, o->name, c->registered_on, c->case_no), err);
}

static bool happened(const genctx *g, int day, int sec)
{
    return day < g->today || (day == g->today && sec <= g->end_sec);
}

/* Once the case of letter f has ended: the feedback the handling org (org_id,
 * org_name; actor the case's) sends — mostly within its period, some late, the
 * latest not yet — and the partner's acknowledgement, which a few never give. */
static int letter_feedback(const genctx *g, gcase *c, gref *f, rng *r, int64_t org_id,
                           const char *org_name, tj_err *err)
{
    arena_t *a = &c->ar;
    referral_outcome oc =
        referral_outcome_of_case(c->status, c->agreed_on != NULL, c->terminated_on != NULL);
    if (oc == REFERRAL_OUTCOME_NONE)
        return 0;
    const gdl *dl = &c->dl[DEADLINE_FEEDBACK];
    int E = c->end_day, F;
    if (!dl->on)
        F = E + rn(r, 5);
    else if (pm(r, 860))
        F = E + rn(r, dl->due - E + 1);
    else
        F = dl->due + rr(r, 1, 8);
    if (E > f->day || (E == f->day && c->end_sec > f->sec)) {
        f->day = E;
        f->sec = c->end_sec;
    }
    const char *at = ref_at(a, f, r, F, -1, 0);
    if (!happened(g, F, f->sec))
        return 0;
    const char *perf = c->ag_perf && c->perf_day <= F ? c->ag_perf : NULL;
    referral_feedback_facts ff = {
        .partner_org_name = f->partner->name,
        .letter_date = f->letter_date,
        .letter_no = f->letter_no,
        .title = f->title,
        .org_name = org_name,
        .accepted_on = c->accepted_on,
        .case_no = c->case_no,
        .outcome = oc,
        .agreed_on = c->agreed_on,
        .terms = c->ag_terms,
        .performance = perf,
        .written = c->ag_form && strcmp(c->ag_form, "written") == 0,
        .terminated_on = c->terminated_on,
        .termination_reason = c->tm_code,
        .termination_text = c->tm_text,
        .guidance = c->tm_guidance,
        .withdraw_reason = c->withdraw_reason,
    };
    size_t n = referral_feedback_text(&ff, NULL, 0);
    char *text = ar_alloc(a, n + 1);
    referral_feedback_text(&ff, text, n + 1);
    ar_set_len(text, n);
    f->fb_outcome = referral_outcome_name(oc);
    f->fb_text = text;
    f->fb_due_on = dl->on ? ar_day(a, dl->due) : NULL;
    f->fb_sent_on = ar_day(a, F);
    f->fb_sent_at = at;
    f->fb_by_name = c->actor_name;
    if (dl->on && (dl->stop < 0 || F < dl->stop))
        c->dl[DEADLINE_FEEDBACK].stop = F;
    bool late = dl->on && F > dl->due;
    if (ref_step(f, REFERRAL_EV_FEEDBACK, at, c->actor_id, c->actor_name, org_id, org_name,
                 ar_printf(a, REFERRAL_SUM_FEEDBACK, f->partner->name, referral_outcome_label(oc),
                           late ? REFERRAL_SUM_FEEDBACK_LATE : ""),
                 err) != 0)
        return -1;
    if (pm(r, 20))
        return 0;
    int K = F + (pm(r, 700) ? rn(r, 2) : rr(r, 2, 12));
    at = ref_at(a, f, r, K, -1, 0);
    if (!happened(g, K, f->sec))
        return 0;
    const char *note = pm(r, 300) ? "已收悉" : NULL;
    f->ack_at = at;
    f->ack_by_name = f->contact_name;
    f->ack_note = note;
    return ref_step(f, REFERRAL_EV_ACKNOWLEDGE, at, 0, f->contact_name, f->partner->id,
                    f->partner->name,
                    ar_printf(a, REFERRAL_SUM_ACKNOWLEDGE, f->partner->name,
                              REFERRAL_SUM_ACK_FEEDBACK, note ? "：" : "", note ? note : ""),
                    err);
}

/* Now and then a letter to the host case's org o that did not become a case: one
 * still awaiting the committee's decision, sent in the last days before today (a
 * few older ones overdue), or one the committee returned, which the partner
 * acknowledges, disputes (a consultation opens) or has yet to review. Its dispute is
 * drawn like a case's; it shares nothing else with the host. */
static int letter_caseless(const genctx *g, gcase *c, const gorg *o, int R, rng *r, tj_err *err)
{
    catalog *cat = g->cat;
    arena_t *a = &c->ar;
    int age = g->today - R;
    bool pending = pm(r, age <= 2 ? 150 : age <= 6 ? 50 : age <= 14 ? 10 : 0);
    if ((!pending && !pm(r, 12)) || !o->nmed)
        return 0;
    int pi = pick_partner(cat, o, r);
    if (pi < 0)
        return 0;
    gparty parties[8];
    gdispute d;
    int L = R - rn(r, pending ? 2 : 4);
    int S = L < R && pm(r, 300) ? L + 1 : L;
    draw_dispute(g, o, L, r, a, NULL, parties, &d);
    if (letter_send(g, c, &cat->partners[pi], o, r, &d, L, S, -1, 0, err) != 0)
        return -1;
    gref *f = &c->refs[c->nrefs - 1];
    const gmed *who = &cat->meds[o->med0 + rn(r, o->nmed)];
    int last = g->today - 1; /* the last day with activity */
    if (pm(r, pending ? 400 : 250) && letter_receipt(c, f, r, S < last && pm(r, 400) ? S + 1 : S, S,
                                                     0, who->name, -1, 0, err) != 0)
        return -1;
    if (pending)
        return 0;
    int D = S + (pm(r, 850) ? rn(r, 3) : rr(r, 4, 8));
    if (D < f->day)
        D = f->day;
    if (D > last)
        D = last;
    int rc = rn(r, N_OF(return_codes));
    const char *code = return_codes[rc], *text = return_texts[rc][rn(r, 2)];
    if (referral_check_return(code, text, err) != 0)
        return -1;
    const char *at = ref_at(a, f, r, D, -1, 0);
    if (letter_decide(g, f, D, ar_day(a, D), at, who->name, "returned_on", err) != 0)
        return -1;
    f->return_code = code;
    f->return_text = text;
    if (ref_step(
            f, REFERRAL_EV_RETURN, at, 0, who->name, o->id, o->name,
            ar_printf(a, REFERRAL_SUM_RETURN, o->name, dict_label("return_reason", code), text),
            err) != 0)
        return -1;
    /* the partner answers within days (the latest returns still wait for it): mostly
     * it accepts the return, sometimes it disputes it and the office above the
     * committee consults, here upholding the return, which the partner then accepts */
    int K = D + (pm(r, 700) ? rn(r, 3) : rr(r, 3, 10));
    if (K > last || (g->today - D <= 10 ? pm(r, 450) : pm(r, 30)))
        return 0;
    at = ref_at(a, f, r, K, -1, 0);
    if (pm(r, 120)) {
        const char *why = PICK(r, dispute_reasons);
        f->dispute_reason = why;
        f->disputed_at = at;
        f->disputed_by = f->contact_name;
        if (ref_step(f, REFERRAL_EV_DISPUTE, at, 0, f->contact_name, f->partner->id,
                     f->partner->name, ar_printf(a, REFERRAL_SUM_DISPUTE, why), err) != 0)
            return -1;
        int H = K + rr(r, 2, 10);
        if (H > last || !o->parent)
            return 0;
        tj_date dec;
        if (date_parse(f->decided_on, &dec, NULL, err) != 0 ||
            referral_check_decision_date(dec, date_of(H), date_of(g->today), "held_on", err) != 0)
            return -1;
        at = ref_at(a, f, r, H, -1, 0);
        const char *opinion = PICK(r, uphold_opinions);
        f->held_on = ar_day(a, H);
        f->participants = ar_printf(a, "%s、%s、%s", o->parent_name, f->partner->name, o->name);
        f->opinion = opinion;
        f->outcome = "uphold";
        f->decided_by = ar_name(a, r, rn(r, 2));
        f->decided_org = o->parent;
        f->decided_at = at;
        if (ref_step(f, REFERRAL_EV_CONSULT_UPHOLD, at, 0, f->decided_by, o->parent, o->parent_name,
                     ar_printf(a, REFERRAL_SUM_CONSULT_UPHOLD, f->held_on, opinion), err) != 0)
            return -1;
        K = H + rn(r, 4);
        if (K > last)
            return 0;
        at = ref_at(a, f, r, K, -1, 0);
    }
    f->ack_at = at;
    f->ack_by_name = f->contact_name;
    return ref_step(
        f, REFERRAL_EV_ACKNOWLEDGE, at, 0, f->contact_name, f->partner->id, f->partner->name,
        ar_printf(a, REFERRAL_SUM_ACKNOWLEDGE, f->partner->name, REFERRAL_SUM_ACK_RETURN, "", ""),
        err);
}

/* Accept case c on day ad at `at`: the mediation period starts (*dueday). */
static int accept_case(gcase *c, int ad, const char *at, int *dueday, tj_err *err)
{
    arena_t *a = &c->ar;
    tj_date due;
    if (deadline_mediation(NULL, NULL, c->is_referral, date_of(ad), &due, err) != 0)
        return -1;
    *dueday = day_of(due);
    c->accepted_on = ar_day(a, ad);
    c->due_on = ar_day(a, *dueday);
    dl_start(c, DEADLINE_MEDIATION, ad, *dueday);
    jb j;
    jb_begin(&j);
    jb_str(&j, "accepted_on", c->accepted_on);
    return step(c, CASE_FLOW_EVENT_ACCEPT, ad, at,
                ar_cat(a, "受理案件，调解期限至 ", c->due_on, NULL), jb_end(&j, a), c->org_id, err);
}

/* Simulate case number idx (0-based) with id `id` into c. nums: case numbers per
 * org (caller keeps them across cases, in id order). */
static int simulate(const genctx *g, int64_t idx, int64_t id, gcase *c, tj_err *err)
{
    catalog *cat = g->cat;
    rng r0 = rng_for(g->seed, (uint64_t)idx), *r = &r0;
    arena_t ar = c->ar;
    ar.len = 0;
    memset(c, 0, sizeof *c);
    c->ar = ar;
    c->id = id;
    for (int k = 0; k < DEADLINE_KIND_COUNT; k++)
        c->dl[k].stop = -1;
    arena_t *a = &c->ar;
    int R, Rsec;
    schedule_of(g, idx, &R, &Rsec);
    /* the registering org; the demo mediator's committee gets more recent work */
    int oi = -1;
    bool focus_recent = false;
    if (cat->focus >= 0) {
        /* recent work for the demo mediator, and cases accepted about a month ago
         * whose mediation period runs out this week */
        bool recent = g->today - R < 45, due_week = g->today - R >= 24 && g->today - R <= 33;
        if (pm(r, due_week ? 400 : recent ? 120 : 20)) {
            oi = cat->focus;
            focus_recent = recent;
        }
    }
    if (oi < 0)
        oi = pick_org(cat, r);
    gorg *o = &cat->orgs[oi];
    const gorg *ho = o; /* handling org (changes on escalation) */
    gdispute dd;
    int si;
    draw_dispute(g, o, R, r, a, &si, c->parties, &dd);
    c->source = src_names[si];
    c->is_referral = si == SRC_REFERRAL;
    c->reg_org_id = c->org_id = o->id;
    c->reg_org_path = c->org_path = o->path;
    c->nparties = dd.nparties;
    c->dispute_type = dd.dispute_type;
    c->title = dd.title;
    c->facts = dd.facts;
    c->claims = dd.claims;
    c->place = dd.place;
    c->occurred_on = dd.occurred_on;
    c->party_names = dd.party_names;
    memcpy(c->flags, dd.flags, sizeof c->flags);
    c->amount = dd.amount;
    c->people = dd.people;
    int ti = dd.ti;
    const dtype *dt = &dtypes[ti];
    const scen *sc = dd.sc;
    int64_t yuan = dd.yuan;
    const char *A = dd.A, *B = dd.B, *M = dd.M, *Y = dd.Y, *P = dd.P;
    const char *vill = dd.vill, *county_name = cat->counties[o->county].name;
    bool community = dd.community;
    /* the case number: per registering org and year, in id order */
    int yoff = date_of(R).y - cat->first_year;
    if (yoff < 0 || yoff >= 8)
        return err_set(err, 500, "internal", NULL, "生成案件年份超出范围");
    char case_no[200];
    if (case_no_format(o->name, date_of(R).y, ++o->nums[yoff], case_no, sizeof case_no, err) != 0)
        return -1;
    c->case_no = ar_str(a, case_no);
    c->registered_on = ar_day(a, R);
    /* who acts: the lead mediator (the demo mediator's own account on its cases) */
    const gmed *lead = &cat->meds[o->med0 + rn(r, o->nmed)];
    if (oi == cat->focus && pm(r, 800))
        for (int k = 0; k < o->nmed; k++)
            if (cat->meds[o->med0 + k].id == cat->focus_person)
                lead = &cat->meds[o->med0 + k];
    bool own = cat->focus >= 0 && lead->id == cat->focus_person;
    c->actor_id = own ? cat->focus_user : 0;
    c->actor_name = own ? cat->focus_user_name : lead->name;
    c->created_by = c->actor_id;
    sim s = {R, Rsec, NULL};
    const char *at = ar_at(a, R, Rsec);
    c->created_at = at;
    c->state = CASE_FLOW_STATE_REGISTERED;
    add_ev(c, CASE_FLOW_EVENT_COUNT, "register", 0, CASE_FLOW_STATE_REGISTERED, at, o->id,
           ar_printf(a, "登记案件 %s（来源：%s）", c->case_no, dict_label("source", c->source)),
           NULL);
    /* a referral case is registered from its partner's letter and accepted with it in
     * one step, as referral_store.c's accept does; the letters draw from a stream of
     * their own */
    rng lr0 = rng_for(g->seed ^ UINT64_C(0x7E7E7E7E7E7E), (uint64_t)idx), *lr = &lr0;
    int pi = c->is_referral && cat->npartners ? pick_partner(cat, o, lr) : -1;
    int Ad = R, dueday = 0;
    tj_date due;
    if (pi >= 0) {
        c->referrer = cat->partners[pi].id;
        if (letter_accepted(g, c, &cat->partners[pi], o, lr, &dd, R, Rsec, at, err) != 0 ||
            accept_case(c, R, at, &dueday, err) != 0)
            return -1;
    }
    jb j;
    /* escalation of a village case to the judicial office */
    if (o->up >= 0 && pm(r, 30)) {
        const gup *u = &cat->ups[o->up];
        if (!when(g, &s, r, R + rn(r, 2), c, &at))
            goto done;
        const char *why = PICK(r, escalate_reasons);
        jb_begin(&j);
        jb_int(&j, "org_id", u->id);
        jb_str(&j, "reason", why);
        if (step(c, CASE_FLOW_EVENT_ESCALATE, s.day, at, ar_printf(a, "上报至%s：%s", u->name, why),
                 jb_end(&j, a), u->id, err) != 0)
            return -1;
        c->org_id = u->id;
        c->org_path = u->path;
        /* the township now handles it, through its own staff */
        lead = &cat->meds[u->med0 + rn(r, u->nmed)];
        c->actor_id = 0;
        c->actor_name = lead->name;
        ho = NULL;
    }
    const char *handling_level = ho ? ho->level : cat->ups[o->up].level;
    bool due_week = oi == cat->focus && g->today - R >= 24 && g->today - R <= 33;
    if (pi < 0) {
        int u = rn(r, 1000);
        if (u < (c->is_referral ? 60 : 25)) {
            /* refused, later archived */
            const char *why =
                c->is_referral && pm(r, 500) ? refuse_reasons[3] : PICK(r, refuse_reasons);
            if (!when(g, &s, r, R + rn(r, 3), c, &at))
                goto done;
            jb_begin(&j);
            jb_str(&j, "reason", why);
            c->refuse_reason = why;
            if (step(c, CASE_FLOW_EVENT_REFUSE, s.day, at, ar_cat(a, "不予受理：", why, NULL),
                     jb_end(&j, a), c->org_id, err) != 0)
                return -1;
            goto archive_later;
        }
        if (u < (c->is_referral ? 60 : 25) + 15) {
            const char *why = PICK(r, withdraw_reasons);
            if (!when(g, &s, r, R + rr(r, 1, 6), c, &at))
                goto done;
            jb_begin(&j);
            jb_str(&j, "reason", why);
            c->withdraw_reason = why;
            if (step(c, CASE_FLOW_EVENT_WITHDRAW, s.day, at, ar_cat(a, "当事人撤回：", why, NULL),
                     jb_end(&j, a), c->org_id, err) != 0)
                return -1;
            goto archive_later;
        }
        /* accept (the demo mediator still has a few fresh cases to accept) */
        if (oi == cat->focus && g->today - R <= 3 && pm(r, 600))
            goto done;
        int A0 = R + (due_week || pm(r, 450) ? 0 : pm(r, 850) ? rr(r, 1, 3) : rr(r, 4, 10));
        if (!when(g, &s, r, A0, c, &at))
            goto done;
        Ad = s.day;
        if (accept_case(c, Ad, at, &dueday, err) != 0)
            return -1;
    }
    /* assign */
    {
        const gmed *pool = ho ? &cat->meds[ho->med0] : &cat->meds[cat->ups[o->up].med0];
        int npool = ho ? ho->nmed : cat->ups[o->up].nmed;
        if (!when(g, &s, r, Ad, c, &at))
            goto done;
        c->meds[c->nmeds++] = lead->id;
        c->lead_id = lead->id;
        jb_begin(&j);
        jb_int(&j, "mediator_id", lead->id);
        const char *sum = ar_cat(a, "指派调解员：", lead->name, "（主调）", NULL);
        if (npool > 1 && pm(r, 350)) {
            const gmed *co = &pool[rn(r, npool)];
            if (co->id != lead->id) {
                c->meds[c->nmeds++] = co->id;
                jb_key(&j, "co_mediator_ids");
                char t[32];
                snprintf(t, sizeof t, "[%lld]", (long long)co->id);
                jb_raw(&j, t);
                sum = ar_cat(a, sum, "、", co->name, NULL);
            }
        }
        if (step(c, CASE_FLOW_EVENT_ASSIGN, Ad, at, sum, jb_end(&j, a), c->org_id, err) != 0)
            return -1;
    }
    /* how long the mediation takes */
    int dur, p = rn(r, 1000);
    if (due_week)
        dur = rr(r, 40, 120);
    else if (focus_recent && pm(r, 700))
        dur = rr(r, 20, 120);
    else if (p < 600)
        dur = rn(r, 8);
    else if (p < 900)
        dur = rr(r, 8, 25);
    else
        dur = rr(r, 26, 90);
    int O = Ad + dur;
    int nsess = pm(r, 550) ? 1 : pm(r, 750) ? 2 : 3;
    int sdays[3];
    sdays[nsess - 1] = O;
    for (int k = 0; k < nsess - 1; k++) {
        int lo = k ? sdays[k - 1] : Ad;
        sdays[k] = lo + rn(r, (O - lo) / 2 + 1);
    }
    int outcome = rn(r, 1000); /* < 900 agree, < 970 terminate, else withdraw */
    bool extended = false;
    const char *room = o->village[0]
                           ? ar_cat(a, vill, community ? "居委会调解室" : "村委会调解室", NULL)
                           : "本会调解室";
    if (!ho)
        room = "司法所调解室";
    for (int k = 0; k < nsess; k++) {
        int sd = sdays[k];
        if (!extended && sd > dueday && pm(r, 700)) {
            /* extend before the period runs out */
            int ed = dueday - rn(r, 3);
            if (ed < s.day)
                ed = s.day;
            tj_date req, out;
            int want = O + rr(r, 2, 12);
            if (c->is_referral) {
                tj_date lim;
                if (calendar_add_days_rolling(NULL, date_of(Ad), 30, &lim, NULL) == 0 &&
                    want > day_of(lim))
                    want = day_of(lim);
            }
            req = date_of(want);
            const char *why = PICK(r, extend_reasons);
            if (want > dueday &&
                deadline_extend_mediation(NULL, NULL, c->is_referral, date_of(Ad), date_of(dueday),
                                          req, true, !c->is_referral, &out, NULL) == 0) {
                if (!when(g, &s, r, ed, c, &at))
                    goto done;
                dueday = day_of(out);
                c->due_on = ar_day(a, dueday);
                c->extension_reason = why;
                dl_start(c, DEADLINE_MEDIATION, Ad, dueday);
                jb_begin(&j);
                jb_str(&j, "due_on", ar_day(a, want));
                jb_str(&j, "reason", why);
                if (!c->is_referral)
                    jb_raw(&j, ",\"parties_consent\":true");
                if (step(c, CASE_FLOW_EVENT_EXTEND, s.day, at,
                         ar_cat(a, "延长调解期限至 ", c->due_on, "：", why,
                                c->is_referral ? "" : "（双方当事人同意）", NULL),
                         jb_end(&j, a), c->org_id, err) != 0)
                    return -1;
                extended = true;
            }
        }
        if (outcome >= 970 && k == nsess - 1)
            break; /* withdrawn instead of the last session */
        if (!when(g, &s, r, sd, c, &at))
            goto done;
        grec *rec = &c->recs[c->nrecs++];
        bool inv = k == 0 && nsess > 1 && pm(r, 300);
        rec->kind = inv ? "investigation" : "session";
        rec->held_on = ar_day(a, s.day);
        rec->place = inv ? P : room;
        rec->participants = pm(r, 600) ? ar_cat(a, A, "、", B, "、调解员", lead->name, NULL) : NULL;
        const char *tmpl = inv             ? NULL
                           : k < nsess - 1 ? PICK(r, sess_mid)
                           : outcome < 900 ? PICK(r, sess_agree)
                                           : PICK(r, sess_fail);
        rec->content = inv ? ar_cat(a, dt->inv, PICK(r, inv_tail), NULL)
                           : expand(a, tmpl, A, B, M, Y, P, sc->title);
        rec->created_at = at;
        jb_begin(&j);
        jb_str(&j, "kind", rec->kind);
        jb_str(&j, "held_on", rec->held_on);
        jb_str(&j, "place", rec->place);
        if (rec->participants)
            jb_str(&j, "participants", rec->participants);
        jb_str(&j, "content", rec->content);
        if (step(c, CASE_FLOW_EVENT_RECORD_SESSION, s.day, at,
                 ar_cat(a, inv ? "调查" : "调解", "：", rec->held_on, " 于", rec->place, NULL),
                 jb_end(&j, a), c->org_id, err) != 0)
            return -1;
    }
    if (outcome >= 970) {
        const char *why = PICK(r, withdraw_reasons);
        if (!when(g, &s, r, O, c, &at))
            goto done;
        jb_begin(&j);
        jb_str(&j, "reason", why);
        c->withdraw_reason = why;
        if (step(c, CASE_FLOW_EVENT_WITHDRAW, s.day, at, ar_cat(a, "当事人撤回：", why, NULL),
                 jb_end(&j, a), c->org_id, err) != 0)
            return -1;
        c->end_day = s.day;
        c->end_sec = s.sec;
        goto archive_later;
    }
    if (outcome < 900) {
        /* agreement */
        bool written = pm(r, yuan > 50000 ? 950 : 700) || c->is_referral;
        bool pay = yuan > 0 && pm(r, 850);
        int64_t pay_yuan = pay ? (yuan * rr(r, 50, 100) / 100 + 99) / 100 * 100 : 0;
        int pdue = O + rr(r, 3, 60);
        const char *terms =
            pay ? ar_printf(a, "一、%s于%s前向%s支付%s；二、双方就本纠纷再无其他争议。", B,
                            ar_day(a, pdue), A, ar_money(a, pay_yuan))
                : ar_cat(a, "一、双方同意按调解方案处理", sc->title,
                         "；二、今后互谅互让，不再因此事发生争执。", NULL);
        c->ag_form = written ? "written" : "oral";
        c->ag_terms = terms;
        c->ag_pay = pay;
        c->ag_amount = pay_yuan * 100;
        c->ag_perf_due = pay ? ar_day(a, pdue) : NULL;
        if (!when(g, &s, r, O, c, &at))
            goto done;
        c->has_agreement = true;
        c->ag_effective = ar_day(a, s.day);
        c->agreed_on = c->ag_effective;
        c->resolved_level = level_of(handling_level);
        jb_begin(&j);
        jb_str(&j, "form", c->ag_form);
        jb_str(&j, "terms", terms);
        if (pay) {
            jb_raw(&j, ",\"has_payment\":true");
            jb_int(&j, "amount", c->ag_amount);
            jb_str(&j, "performance_due", c->ag_perf_due);
        }
        jb_str(&j, "effective_on", c->ag_effective);
        int Od = s.day;
        if (step(c, CASE_FLOW_EVENT_AGREE, Od, at,
                 ar_cat(a, "达成", written ? "书面调解协议" : "口头协议",
                        pay ? "（有给付内容）" : "", NULL),
                 jb_end(&j, a), c->org_id, err) != 0)
            return -1;
        c->end_day = Od;
        c->end_sec = s.sec;
        if (c->is_referral) {
            if (deadline_feedback(NULL, NULL, true, date_of(Od), &due, err) != 0)
                return -1;
            dl_start(c, DEADLINE_FEEDBACK, Od, day_of(due));
        }
        if (written) {
            if (deadline_judicial_confirmation(NULL, NULL, date_of(Od), &due, err) != 0)
                return -1;
            dl_start(c, DEADLINE_JUDICIAL_CONFIRMATION, Od, day_of(due));
        }
        if (written && pm(r, 100)) {
            const char *court = ar_cat(a, county_name, "人民法院", NULL);
            if (!when(g, &s, r, Od + rr(r, 2, 25), c, &at))
                goto done;
            c->ag_court = court;
            c->ag_applied = ar_day(a, s.day);
            jb_begin(&j);
            jb_str(&j, "court", court);
            jb_str(&j, "applied_on", c->ag_applied);
            if (step(c, CASE_FLOW_EVENT_APPLY_CONFIRMATION, s.day, at,
                     ar_cat(a, "当事人于 ", c->ag_applied, " 向", court, "申请司法确认", NULL),
                     jb_end(&j, a), c->org_id, err) != 0)
                return -1;
            if (!when(g, &s, r, s.day + rr(r, 5, 15), c, &at))
                goto done;
            const char *res = pm(r, 950) ? "confirmed" : "rejected";
            c->ag_result = res;
            c->ag_decided = ar_day(a, s.day);
            jb_begin(&j);
            jb_str(&j, "result", res);
            jb_str(&j, "decided_on", c->ag_decided);
            if (step(c, CASE_FLOW_EVENT_RECORD_CONFIRMATION, s.day, at,
                     ar_cat(a, "司法确认结果：", dict_label("confirmation_result", res), "（",
                            c->ag_decided, "）", NULL),
                     jb_end(&j, a), c->org_id, err) != 0)
                return -1;
        }
        if (pay && pm(r, 750)) {
            if (!when(g, &s, r, pdue + rn(r, 6), c, &at))
                goto done;
            int q = rn(r, 100);
            const char *perf = q < 80 ? "performed" : q < 92 ? "partly_performed" : "not_performed";
            const char *note = q < 80   ? "已按协议履行完毕"
                               : q < 92 ? "已支付部分款项"
                                        : "义务人未按期履行";
            c->ag_perf = perf;
            c->ag_perf_note = note;
            jb_begin(&j);
            jb_str(&j, "performance", perf);
            jb_str(&j, "note", note);
            if (step(c, CASE_FLOW_EVENT_RECORD_PERFORMANCE, s.day, at,
                     ar_cat(a, "履行情况：", dict_label("performance", perf),
                            strcmp(perf, "performed") != 0
                                ? "；协议具有给付内容，已告知债权人可依法向人民法院申请支付令"
                                : "",
                            NULL),
                     jb_end(&j, a), c->org_id, err) != 0)
                return -1;
            c->perf_day = s.day;
        }
    } else {
        /* termination */
        static const int rw[] = {55, 15, 10, 10, 5, 5};
        static const char *const codes[] = {"no_agreement", "party_refused", "party_absent",
                                            "litigation",   "beyond_scope",  "other"};
        int rc = pick_w(r, rw, N_OF(rw));
        const char *code = codes[rc];
        const char *text = rc == 2   ? term_texts[2]
                           : rc == 3 ? term_texts[3]
                           : rc == 1 ? term_texts[1]
                                     : term_texts[0];
        const char *guid = ti == T_LABOUR || ti == T_WAGE
                               ? (pm(r, 600) ? "arbitration" : "litigation")
                           : ti == T_DEMOLITION || ti == T_ENVIRONMENT ? "administrative"
                           : rc == 3                                   ? "none"
                                                                       : "litigation";
        if (!when(g, &s, r, O, c, &at))
            goto done;
        c->has_term = true;
        c->tm_code = code;
        c->tm_text = text;
        c->tm_guidance = guid;
        c->terminated_on = ar_day(a, s.day);
        jb_begin(&j);
        jb_str(&j, "reason_code", code);
        jb_str(&j, "reason_text", text);
        jb_str(&j, "guidance", guid);
        if (step(c, CASE_FLOW_EVENT_TERMINATE, s.day, at,
                 ar_cat(a, "终止调解：", dict_label("termination_reason", code), "；已告知当事人",
                        dict_label("guidance", guid), NULL),
                 jb_end(&j, a), c->org_id, err) != 0)
            return -1;
        c->end_day = s.day;
        c->end_sec = s.sec;
        if (c->is_referral) {
            if (deadline_feedback(NULL, NULL, false, date_of(s.day), &due, err) != 0)
                return -1;
            dl_start(c, DEADLINE_FEEDBACK, s.day, day_of(due));
        }
    }
    /* close: mostly within days, some only months later (the file was not in order) */
    if (!when(g, &s, r, s.day + (pm(r, 900) ? rn(r, 10) : rr(r, 30, 150)), c, &at))
        goto done;
    {
        int C = s.day;
        if (deadline_follow_up(NULL, NULL, date_of(C), &due, err) != 0)
            return -1;
        c->closed_on = ar_day(a, C);
        if (step(c, CASE_FLOW_EVENT_CLOSE, C, at,
                 ar_cat(a, "结案，回访期限至 ", ar_day(a, day_of(due)), NULL), "{}", c->org_id,
                 err) != 0)
            return -1;
        dl_start(c, DEADLINE_FOLLOW_UP, C, day_of(due));
        if (pm(r, 820)) {
            if (!when(g, &s, r, C + rr(r, 2, 40), c, &at))
                goto done;
            gfu *f = &c->fus[c->nfus++];
            f->visited_on = ar_day(a, s.day);
            f->method = PICK(r, fu_methods);
            f->content = PICK(r, fu_contents);
            int q = rn(r, 100);
            f->satisfaction = q < 55 ? 5 : q < 85 ? 4 : q < 95 ? 3 : q < 98 ? 2 : 0;
            f->created_at = at;
            jb_begin(&j);
            jb_str(&j, "visited_on", f->visited_on);
            jb_str(&j, "method", f->method);
            jb_str(&j, "content", f->content);
            if (f->satisfaction)
                jb_int(&j, "satisfaction", f->satisfaction);
            if (step(c, CASE_FLOW_EVENT_FOLLOW_UP, s.day, at,
                     ar_cat(a, dict_label("follow_up_method", f->method), " ", f->visited_on,
                            f->satisfaction ? "，当事人满意度已记录" : "", NULL),
                     jb_end(&j, a), c->org_id, err) != 0)
                return -1;
        }
        /* archived one to three months later, a few much later; until that day comes
         * the case is closed. (A 1% draw that left cases never archived, their
         * follow-up overdue for years, is still drawn, so that every other case stays
         * the same for a seed.) */
        (void)pm(r, 10);
        if (!when(g, &s, r, C + (pm(r, 900) ? rr(r, 20, 90) : rr(r, 120, 400)), c, &at))
            goto done;
        c->archived_on = ar_day(a, s.day);
        if (step(c, CASE_FLOW_EVENT_ARCHIVE, s.day, at, "归档", "{}", c->org_id, err) != 0)
            return -1;
        goto done;
    }
archive_later:
    (void)pm(r, 10); /* as above: none is left unarchived for good */
    if (when(g, &s, r, s.day + (pm(r, 900) ? rr(r, 15, 60) : rr(r, 90, 300)), c, &at)) {
        c->archived_on = ar_day(a, s.day);
        if (step(c, CASE_FLOW_EVENT_ARCHIVE, s.day, at, "归档", "{}", c->org_id, err) != 0)
            return -1;
    }
done:
    c->status = case_flow_state_name(c->state);
    if (pi >= 0 && letter_feedback(g, c, &c->refs[0], lr, ho ? ho->id : cat->ups[o->up].id,
                                   ho ? ho->name : cat->ups[o->up].name, err) != 0)
        return -1;
    return cat->npartners ? letter_caseless(g, c, o, R, lr, err) : 0;
}

/* The scope words of the search row, as CASE_SCOPE_SQL (store/case_store.h) computes
 * them: "o<id>" for each org on org_path, then on registered_org_path, then
 * " p<referrer>" when referred by a partner. */
static const char *ar_scope(arena_t *a, const char *org_path, const char *reg_path,
                            int64_t referrer)
{
    const char *paths[2] = {org_path ? org_path : "", reg_path ? reg_path : ""};
    char *out = ar_alloc(a, 2 * (strlen(paths[0]) + strlen(paths[1])) + 32), *w = out;
    for (int k = 0; k < 2; k++) {
        const char *p = paths[k];
        while (*p == '/')
            p++;
        size_t n = strlen(p);
        while (n && p[n - 1] == '/')
            n--;
        if (k)
            *w++ = ' ';
        *w++ = 'o';
        for (size_t i = 0; i < n; i++)
            if (p[i] == '/') {
                *w++ = ' ';
                *w++ = 'o';
            } else {
                *w++ = p[i];
            }
    }
    if (referrer)
        w += sprintf(w, " p%lld", (long long)referrer);
    *w = 0;
    ar_set_len(out, (size_t)(w - out));
    return out;
}

/* The search tokens exactly as case_reindex builds them. */
static int case_tokens(genctx *g, gcase *c, tj_err *err)
{
    size_t w = 0;
#define PUT(s)                                                                                     \
    do {                                                                                           \
        const char *s_ = (s) ? (s) : "";                                                           \
        size_t k_ = strlen(s_);                                                                    \
        if (w + k_ + 2 > g->text_cap) {                                                            \
            g->text_cap = (w + k_ + 2) * 2;                                                        \
            g->text = xrealloc(g->text, g->text_cap);                                              \
        }                                                                                          \
        memcpy(g->text + w, s_, k_);                                                               \
        w += k_;                                                                                   \
        g->text[w++] = '\n';                                                                       \
    } while (0)
    PUT(c->case_no);
    PUT(c->title);
    PUT(c->facts);
    PUT(c->claims);
    PUT(c->place);
    for (int i = 0; i < c->nparties; i++) {
        PUT(c->parties[i].name);
        PUT(c->parties[i].agent_name);
        PUT(c->parties[i].address);
    }
    for (int i = 0; i < c->nrecs; i++)
        PUT(c->recs[i].content);
#undef PUT
    g->text[w] = 0;
    size_t cap = cjk_tokenize_bound(w);
    char *out = ar_alloc(&c->ar, cap);
    if (cjk_tokenize(g->text, out, cap, err) != 0)
        return -1;
    ar_set_len(out, strlen(out));
    c->tokens = out;
    c->scope = ar_scope(&c->ar, c->org_path, c->reg_org_path, c->referrer);
    return 0;
}

/* ------------------------------------------------------------------------- */
/* writing a case: through the db layer (demo) or raw SQLite (bulk)           */

enum {
    ST_CASE,
    ST_PARTY,
    ST_MED,
    ST_REC,
    ST_AGR,
    ST_TERM,
    ST_FU,
    ST_DL,
    ST_EV,
    ST_SEARCH,
    ST_REF,
    ST_REF_EV,
    ST_REF_CONS,
    ST__N
};

static const char *const st_sql[ST__N] = {
    [ST_CASE] =
        "INSERT INTO cases(id, case_no, title, party_names, org_id, org_path, registered_org_id,"
        " registered_org_path, status, source, dispute_type, flag_mass, flag_military,"
        " flag_petition, flag_litigation, facts, claims, amount, people_involved, place,"
        " occurred_on, registered_on, accepted_on, due_on, is_referral, extension_reason,"
        " refuse_reason, withdraw_reason, agreed_on, terminated_on, closed_on, archived_on,"
        " resolved_level, lead_mediator_id, referrer_org_id, created_by, created_at, updated_at,"
        " next_due_on)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_PARTY] = "INSERT INTO case_parties(case_id, position, role, kind, name, sex, ethnicity,"
                 " birth_date, occupation, id_cipher, id_masked, id_index, credit_code,"
                 " legal_rep, phone, address, agent_name, agent_phone, agent_relation)"
                 " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_MED] = "INSERT INTO case_mediators(case_id, person_id, lead) VALUES (?,?,?)",
    [ST_REC] = "INSERT INTO case_records(case_id, kind, held_on, place, participants, content,"
               " created_by, created_at) VALUES (?,?,?,?,?,?,?,?)",
    [ST_AGR] = "INSERT INTO case_agreements(case_id, form, terms, has_payment, amount,"
               " performance_due, effective_on, performance, performance_note,"
               " confirmation_court, confirmation_applied_on, confirmation_result,"
               " confirmation_decided_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_TERM] = "INSERT INTO case_terminations(case_id, reason_code, reason_text, guidance)"
                " VALUES (?,?,?,?)",
    [ST_FU] = "INSERT INTO case_follow_ups(case_id, visited_on, method, content, satisfaction,"
              " created_by, created_at) VALUES (?,?,?,?,?,?,?)",
    [ST_DL] = "INSERT INTO case_deadlines(case_id, kind, started_on, due_on, stopped_on)"
              " VALUES (?,?,?,?,?)",
    [ST_EV] = "INSERT INTO case_events(case_id, event, state_from, state_to, at, actor_id,"
              " actor_name, org_id, summary, detail) VALUES (?,?,?,?,?,?,?,?,?,?)",
    [ST_SEARCH] = "INSERT INTO case_search(case_id, tokens, scope) VALUES (?, ?, ?)",
    [ST_REF] = "INSERT INTO referrals(id, letter_no, letter_date, channel, partner_org_id,"
               " partner_org_path, target_org_id, target_org_path, status, title, dispute_type,"
               " party_names, dispute, note, contact_name, contact_phone, created_by,"
               " created_by_name, created_at, updated_at, submitted_at, approved_by_name,"
               " approved_at, approval_comment, sent_on, received_on, receipt_at, receipt_by_name,"
               " receipt_note, accept_due_on, decided_on, return_reason_code, return_reason_text,"
               " case_id, feedback_outcome, feedback_text, feedback_due_on, feedback_sent_on,"
               " feedback_sent_at, feedback_by_name, acknowledged_at, acknowledged_by_name,"
               " acknowledge_note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
               "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_REF_EV] = "INSERT INTO referral_events(referral_id, event, state_from, state_to, at,"
                  " actor_id, actor_name, org_id, org_name, summary) VALUES (?,?,?,?,?,?,?,?,?,?)",
    [ST_REF_CONS] = "INSERT INTO referral_consultations(referral_id, disputed_at,"
                    " disputed_by_name, dispute_reason, returned_by_org_id, held_on, participants,"
                    " opinion, outcome, decided_by_name, decided_org_id, decided_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
};
#define REF_COLS 43

#define Q_ROWS 32 /* rows of one table per INSERT on the raw backend */
#define Q_TEXT (64 * 1024)

/* A value waiting in a table's queue: strings with their lengths, and those not in
 * a case's arena (the caller's stack, say) copied into the queue's own text. The
 * appender's value, so a queued row goes to sqlite_append_row as it is. */
typedef sqlite_append_val qval;

/* The rows of one table waiting to be inserted. The raw backend writes a batch of
 * cases table by table, Q_ROWS rows per statement: each statement costs SQLite
 * ~0.6 µs before its first row (cursors opened, the table's last row sought), and
 * a case has a row or two in most of its eleven tables. Within each table the rows
 * keep their order, so every row gets the rowid it would get case by case. */
typedef struct tqueue {
    qval *v; /* Q_ROWS rows of ncol values */
    int ncol, n;
    char *text; /* Q_TEXT bytes */
    size_t tlen;
} tqueue;

typedef struct sink {
    db *d;                                  /* db layer backend, or NULL */
    sqlite3 *h;                             /* raw backend */
    sqlite3_stmt *multi[ST__N][Q_ROWS + 1]; /* multi-row inserts, by row count */
    sqlite_append *app[ST__N];              /* appenders, open until the batch is written */
    sqlite_append *bulk[ST__N];             /* bulk appenders, open for the whole load */
    int dl_order[DEADLINE_KIND_COUNT];      /* deadline kinds by name (sink_order) */
    bool plain;                             /* TJ_GEN_PLAIN_INSERT: no appenders */
    tqueue q[ST__N];
    const arena_t *ar; /* of the case being written: its strings' lengths */
    int64_t rows;
} sink;

static int sink_fail(sink *k, tj_err *err, int st)
{
    return err_set(err, 500, "internal", NULL, "写入生成数据失败（%.40s…）：%s", st_sql[st],
                   k->h ? sqlite3_errmsg(k->h) : "");
}

/* The deadline kinds in the order of their names: a case's deadlines are written so. */
static void sink_order(sink *k)
{
    for (int i = 0; i < DEADLINE_KIND_COUNT; i++) {
        int at = i;
        while (at > 0 && strcmp(deadline_kind_name((deadline_kind)k->dl_order[at - 1]),
                                deadline_kind_name((deadline_kind)i)) > 0) {
            k->dl_order[at] = k->dl_order[at - 1];
            at--;
        }
        k->dl_order[at] = i;
    }
}

/* The table and column list of st's "INSERT INTO table(columns) VALUES ...". */
static int st_target(int st, char table[64], char cols[1024], tj_err *err)
{
    const char *sql = st_sql[st] + strlen("INSERT INTO ");
    const char *open = strchr(sql, '('), *close = open ? strchr(open, ')') : NULL;
    if (!close || open - sql >= 64 || close - open - 1 >= 1024)
        return err_set(err, 500, "internal", NULL, "生成数据的语句无法解析（%.40s…）", st_sql[st]);
    snprintf(table, 64, "%.*s", (int)(open - sql), sql);
    snprintf(cols, 1024, "%.*s", (int)(close - open - 1), open + 1);
    return 0;
}

/* Tables written in bulk mode (db/sqlite_append.h): they only grow during the load,
 * and each index kept during it leads with the case (or letter) the rows come in the
 * order of, then the rowid or a column a case's rows are written in the order of
 * (deadlines by kind, mediators by person), so its entries arrive in order. Their
 * pages never pass through SQLite's page cache. */
static const int bulk_tables[] = {ST_PARTY, ST_MED, ST_REC, ST_AGR,    ST_TERM,
                                  ST_FU,    ST_DL,  ST_EV,  ST_SEARCH, ST_REF_EV};

static int sink_open_bulk(sink *k, tj_err *err)
{
    for (size_t i = 0; i < sizeof bulk_tables / sizeof *bulk_tables; i++) {
        int st = bulk_tables[i];
        char table[64], cols[1024];
        if (st_target(st, table, cols, err) != 0)
            return -1;
        if (sqlite_append_open_bulk(k->h, table, cols, &k->bulk[st]) != 0)
            return sink_fail(k, err, st);
    }
    return 0;
}

/* Ends the bulk tables: their trees' tops go into their roots. */
static int sink_finish_bulk(sink *k, tj_err *err)
{
    for (int st = 0; st < ST__N; st++) {
        if (k->bulk[st] && sqlite_append_finish(k->bulk[st]) != 0)
            return sink_fail(k, err, st);
        sqlite_append_close(k->bulk[st]);
        k->bulk[st] = NULL;
    }
    return 0;
}

/* Appends the rows waiting in table st's queue. */
static int q_append(sink *k, int st, tj_err *err)
{
    tqueue *q = &k->q[st];
    if (k->bulk[st]) {
        for (int r = 0; r < q->n; r++)
            if (sqlite_append_row(k->bulk[st], q->v + (size_t)r * (size_t)q->ncol) != 0)
                return sink_fail(k, err, st);
        q->n = 0;
        q->tlen = 0;
        return 0;
    }
    if (!k->app[st]) {
        char table[64], cols[1024];
        if (st_target(st, table, cols, err) != 0)
            return -1;
        if (sqlite_append_open(k->h, table, cols, &k->app[st]) != 0)
            return sink_fail(k, err, st);
    }
    for (int r = 0; r < q->n; r++)
        if (sqlite_append_row(k->app[st], q->v + (size_t)r * (size_t)q->ncol) != 0)
            return sink_fail(k, err, st);
    q->n = 0;
    q->tlen = 0;
    return 0;
}

/* Closes the appenders: at the end of each batch, before a commit or the schema
 * changes (a new batch opens them again). */
static void sink_close_appenders(sink *k)
{
    for (int st = 0; st < ST__N; st++) {
        sqlite_append_close(k->app[st]);
        k->app[st] = NULL;
    }
}

/* After a failure: the bulk appenders too (the load is discarded). */
static void sink_close_all(sink *k)
{
    sink_close_appenders(k);
    for (int st = 0; st < ST__N; st++) {
        sqlite_append_close(k->bulk[st]);
        k->bulk[st] = NULL;
    }
}

/* Inserts the rows waiting in table st's queue with one statement. */
static int q_flush(sink *k, int st, tj_err *err)
{
    tqueue *q = &k->q[st];
    int n = q->n, ncol = q->ncol;
    if (!n)
        return 0;
    /* every table's rows are appended (db/sqlite_append.h: in rowid order, and no
     * partial index is kept during the load); TJ_GEN_PLAIN_INSERT=1 uses the INSERTs */
    if (!k->plain)
        return q_append(k, st, err);
    sqlite3_stmt *s = k->multi[st][n];
    if (!s) {
        size_t cap = strlen(st_sql[st]) + (size_t)n * ((size_t)ncol * 2 + 3) + 1;
        char *sql = xmalloc(cap);
        const char *v = strstr(st_sql[st], "VALUES ");
        size_t w = (size_t)snprintf(sql, cap, "%.*s", (int)(v - st_sql[st]) + 7, st_sql[st]);
        for (int i = 0; i < n; i++) {
            sql[w++] = i ? ',' : '(';
            if (i)
                sql[w++] = '(';
            for (int j = 0; j < ncol; j++) {
                if (j)
                    sql[w++] = ',';
                sql[w++] = '?';
            }
            sql[w++] = ')';
        }
        sql[w] = 0;
        int rc = sqlite3_prepare_v3(k->h, sql, (int)w, SQLITE_PREPARE_PERSISTENT, &k->multi[st][n],
                                    NULL);
        free(sql);
        if (rc != SQLITE_OK)
            return sink_fail(k, err, st);
        s = k->multi[st][n];
    }
    const qval *a = q->v;
    for (int i = 0; i < n * ncol; i++) {
        if (a[i].type == 'i')
            sqlite3_bind_int64(s, i + 1, a[i].i);
        else if (a[i].type == 's')
            sqlite3_bind_text(s, i + 1, a[i].s, a[i].len, SQLITE_STATIC);
        else
            sqlite3_bind_null(s, i + 1);
    }
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    q->n = 0;
    q->tlen = 0;
    return rc == SQLITE_DONE ? 0 : sink_fail(k, err, st);
}

/* Inserts every row still waiting (the end of a batch: its cases' arenas are about
 * to be reused). */
static int sink_flush(sink *k, tj_err *err)
{
    int rc = 0;
    for (int st = 0; st < ST__N && rc == 0; st++)
        rc = q_flush(k, st, err);
    sink_close_appenders(k);
    return rc;
}

/* n rows of table st (ncol values each, a[] row after row): through the db layer at
 * once, on the raw backend into the table's queue. */
static int put_rows(sink *k, int st, const db_arg *a, int ncol, int n, tj_err *err)
{
    if (k->d) {
        for (int i = 0; i < n; i++) {
            db_stmt *s;
            if (db_query_args(k->d, &s, err, st_sql[st], a + i * ncol, ncol) != 0)
                return -1;
            int rc = db_step(s, err);
            db_done(s);
            if (rc < 0)
                return -1;
        }
        k->rows += n;
        return 0;
    }
    tqueue *q = &k->q[st];
    if (!q->v) {
        q->v = xmalloc((size_t)Q_ROWS * (size_t)ncol * sizeof *q->v);
        q->text = xmalloc(Q_TEXT);
        q->ncol = ncol;
    }
    if (q->ncol != ncol || ncol > REF_COLS) /* the referrals' row is the widest */
        return err_set(err, 500, "internal", NULL, "生成数据的列数不一致（%.40s…）", st_sql[st]);
    uintptr_t lo = (uintptr_t)k->ar->p, hi = lo + k->ar->len;
    for (int r = 0; r < n; r++) {
        const db_arg *row = a + r * ncol;
        int len[REF_COLS];
        size_t copy = 0;
        for (int j = 0; j < ncol; j++) {
            len[j] = row[j].type == 's' && row[j].s ? (int)ar_len(k->ar, row[j].s) : 0;
            if (row[j].s && ((uintptr_t)row[j].s < lo || (uintptr_t)row[j].s >= hi))
                copy += (size_t)len[j] + 1;
        }
        if (copy > Q_TEXT)
            return err_set(err, 500, "internal", NULL, "生成数据的一行过长");
        if ((q->n == Q_ROWS || q->tlen + copy > Q_TEXT) && q_flush(k, st, err) != 0)
            return -1;
        qval *v = q->v + (size_t)q->n * (size_t)ncol;
        for (int j = 0; j < ncol; j++) {
            v[j] = (qval){row[j].type, len[j], row[j].i, row[j].s};
            if (row[j].type == 's' && !row[j].s)
                v[j].type = 'n';
            else if (row[j].type == 's' &&
                     ((uintptr_t)row[j].s < lo || (uintptr_t)row[j].s >= hi)) {
                char *t = q->text + q->tlen;
                memcpy(t, row[j].s, (size_t)len[j] + 1);
                q->tlen += (size_t)len[j] + 1;
                v[j].s = t;
            }
        }
        q->n++;
    }
    k->rows += n;
    return 0;
}

static int put(sink *k, int st, const db_arg *a, int n, tj_err *err)
{
    return put_rows(k, st, a, n, 1, err);
}

#define VS(x) ((db_arg){'s', 0, (x)})
#define VI(x) ((db_arg){'i', (int64_t)(x), NULL})
#define VN(x) ((x) ? (db_arg){'i', (int64_t)(x), NULL} : (db_arg){'n', 0, NULL})

static int emit_search(sink *k, const gcase *c, tj_err *err)
{
    db_arg a[3] = {VI(c->id), VS(c->tokens), VS(c->scope)};
    return put(k, ST_SEARCH, a, 3, err);
}

/* The case's letters, their timelines and open consultations. */
static int emit_referrals(sink *k, const gcase *c, tj_err *err)
{
    db_arg m[N_OF(c->refs) * REF_COLS];
    int n = 0;
    for (int i = 0; i < c->nrefs; i++) {
        const gref *f = &c->refs[i];
        const gpartner *p = f->partner;
        m[n++] = VI(f->id);
        m[n++] = VS(f->letter_no);
        m[n++] = VS(f->letter_date);
        m[n++] = VS(referral_channel_for_partner(pt_names[p->type]));
        m[n++] = VI(p->id);
        m[n++] = VS(p->path);
        m[n++] = VI(f->target->id);
        m[n++] = VS(f->target->path);
        m[n++] = VS(referral_state_name(f->state));
        m[n++] = VS(f->title);
        m[n++] = VS(f->dispute_type);
        m[n++] = VS(f->party_names);
        m[n++] = VS(f->dispute);
        m[n++] = VS(f->note);
        m[n++] = VS(f->contact_name);
        m[n++] = VS(f->contact_phone);
        m[n++] = VN(0); /* created_by: the partner's API token */
        m[n++] = VS(f->created_by_name);
        m[n++] = VS(f->created_at);
        m[n++] = VS(f->updated_at);
        m[n++] = VS(f->submitted_at);
        m[n++] = VS(f->approved_by_name);
        m[n++] = VS(f->approved_at);
        m[n++] = VS(f->approval_comment);
        m[n++] = VS(f->sent_on);
        m[n++] = VS(f->received_on);
        m[n++] = VS(f->receipt_at);
        m[n++] = VS(f->receipt_by_name);
        m[n++] = VS(f->receipt_note);
        m[n++] = VS(f->accept_due_on);
        m[n++] = VS(f->decided_on);
        m[n++] = VS(f->return_code);
        m[n++] = VS(f->return_text);
        m[n++] = VN(f->case_id);
        m[n++] = VS(f->fb_outcome);
        m[n++] = VS(f->fb_text);
        m[n++] = VS(f->fb_due_on);
        m[n++] = VS(f->fb_sent_on);
        m[n++] = VS(f->fb_sent_at);
        m[n++] = VS(f->fb_by_name);
        m[n++] = VS(f->ack_at);
        m[n++] = VS(f->ack_by_name);
        m[n++] = VS(f->ack_note);
    }
    if (put_rows(k, ST_REF, m, REF_COLS, c->nrefs, err) != 0)
        return -1;
    for (int i = 0; i < c->nrefs; i++) {
        const gref *f = &c->refs[i];
        n = 0;
        for (int e = 0; e < f->nevs; e++) {
            const grev *v = &f->evs[e];
            m[n++] = VI(f->id);
            m[n++] = VS(v->event);
            m[n++] = VS(v->from);
            m[n++] = VS(v->to);
            m[n++] = VS(v->at);
            m[n++] = VN(v->actor_id);
            m[n++] = VS(v->actor_name);
            m[n++] = VI(v->org_id);
            m[n++] = VS(v->org_name);
            m[n++] = VS(v->summary);
        }
        if (put_rows(k, ST_REF_EV, m, 10, f->nevs, err) != 0)
            return -1;
        if (f->dispute_reason) {
            db_arg cs[12] = {
                VI(f->id),         VS(f->disputed_at), VS(f->disputed_by),  VS(f->dispute_reason),
                VI(f->target->id), VS(f->held_on),     VS(f->participants), VS(f->opinion),
                VS(f->outcome),    VS(f->decided_by),  VN(f->decided_org),  VS(f->decided_at)};
            if (put(k, ST_REF_CONS, cs, 12, err) != 0)
                return -1;
        }
    }
    return 0;
}

static int emit_case(sink *k, const gcase *c, tj_err *err)
{
    db_arg a[40];
    int n = 0;
    k->ar = &c->ar;
    a[n++] = VI(c->id);
    a[n++] = VS(c->case_no);
    a[n++] = VS(c->title);
    a[n++] = VS(c->party_names);
    a[n++] = VI(c->org_id);
    a[n++] = VS(c->org_path);
    a[n++] = VI(c->reg_org_id);
    a[n++] = VS(c->reg_org_path);
    a[n++] = VS(c->status);
    a[n++] = VS(c->source);
    a[n++] = VS(c->dispute_type);
    for (int i = 0; i < 4; i++)
        a[n++] = VI(c->flags[i]);
    a[n++] = VS(c->facts);
    a[n++] = VS(c->claims);
    a[n++] = VI(c->amount);
    a[n++] = VI(c->people);
    a[n++] = VS(c->place);
    a[n++] = VS(c->occurred_on);
    a[n++] = VS(c->registered_on);
    a[n++] = VS(c->accepted_on);
    a[n++] = VS(c->due_on);
    a[n++] = VI(c->is_referral);
    a[n++] = VS(c->extension_reason);
    a[n++] = VS(c->refuse_reason);
    a[n++] = VS(c->withdraw_reason);
    a[n++] = VS(c->agreed_on);
    a[n++] = VS(c->terminated_on);
    a[n++] = VS(c->closed_on);
    a[n++] = VS(c->archived_on);
    a[n++] = VS(c->resolved_level);
    a[n++] = VN(c->lead_id);
    a[n++] = VN(c->referrer);
    a[n++] = VN(c->created_by);
    a[n++] = VS(c->created_at);
    a[n++] = VS(c->updated_at);
    /* what the triggers of case_deadlines (dropped during the load) would keep */
    int next = -1;
    for (int i = 0; i < DEADLINE_KIND_COUNT; i++)
        if (c->dl[i].on && c->dl[i].stop < 0 && i != DEADLINE_JUDICIAL_CONFIRMATION &&
            (next < 0 || c->dl[i].due < next))
            next = c->dl[i].due;
    char next_s[DATE_STR_SIZE];
    if (next >= 0)
        day_str(next, next_s);
    a[n++] = VS(next >= 0 ? next_s : NULL);
    if (put(k, ST_CASE, a, n, err) != 0)
        return -1;
    db_arg m[8 * 19];
    n = 0;
    for (int i = 0; i < c->nparties; i++) {
        const gparty *p = &c->parties[i];
        m[n++] = VI(c->id);
        m[n++] = VI(i);
        m[n++] = VS(p->role);
        m[n++] = VS(p->kind);
        m[n++] = VS(p->name);
        m[n++] = VS(p->sex);
        m[n++] = VS(p->ethnicity);
        m[n++] = VS(p->birth);
        m[n++] = VS(p->occupation);
        m[n++] = VS(p->id_cipher);
        m[n++] = VS(p->id_masked);
        m[n++] = VS(p->id_index);
        m[n++] = VS(p->credit);
        m[n++] = VS(p->legal_rep);
        m[n++] = VS(p->phone);
        m[n++] = VS(p->address);
        m[n++] = VS(p->agent_name);
        m[n++] = VS(p->agent_phone);
        m[n++] = VS(p->agent_relation);
    }
    if (put_rows(k, ST_PARTY, m, 19, c->nparties, err) != 0)
        return -1;
    /* in key order (case, person), so the table can be written in bulk mode; the API
     * lists a case's mediators lead first, then by name */
    for (int i = 0; i < c->nmeds; i++) {
        int at = i;
        while (at > 0 && m[3 * (at - 1) + 1].i > c->meds[i]) {
            memcpy(&m[3 * at], &m[3 * (at - 1)], 3 * sizeof *m);
            at--;
        }
        m[3 * at] = VI(c->id);
        m[3 * at + 1] = VI(c->meds[i]);
        m[3 * at + 2] = VI(i == 0);
    }
    if (put_rows(k, ST_MED, m, 3, c->nmeds, err) != 0)
        return -1;
    n = 0;
    for (int i = 0; i < c->nrecs; i++) {
        const grec *r = &c->recs[i];
        m[n++] = VI(c->id);
        m[n++] = VS(r->kind);
        m[n++] = VS(r->held_on);
        m[n++] = VS(r->place);
        m[n++] = VS(r->participants);
        m[n++] = VS(r->content);
        m[n++] = VN(c->actor_id);
        m[n++] = VS(r->created_at);
    }
    if (put_rows(k, ST_REC, m, 8, c->nrecs, err) != 0)
        return -1;
    if (c->has_agreement) {
        n = 0;
        a[n++] = VI(c->id);
        a[n++] = VS(c->ag_form);
        a[n++] = VS(c->ag_terms);
        a[n++] = VI(c->ag_pay);
        a[n++] = VI(c->ag_amount);
        a[n++] = VS(c->ag_perf_due);
        a[n++] = VS(c->ag_effective);
        a[n++] = VS(c->ag_perf);
        a[n++] = VS(c->ag_perf_note);
        a[n++] = VS(c->ag_court);
        a[n++] = VS(c->ag_applied);
        a[n++] = VS(c->ag_result);
        a[n++] = VS(c->ag_decided);
        if (put(k, ST_AGR, a, n, err) != 0)
            return -1;
    }
    if (c->has_term) {
        a[0] = VI(c->id);
        a[1] = VS(c->tm_code);
        a[2] = VS(c->tm_text);
        a[3] = VS(c->tm_guidance);
        if (put(k, ST_TERM, a, 4, err) != 0)
            return -1;
    }
    n = 0;
    for (int i = 0; i < c->nfus; i++) {
        const gfu *f = &c->fus[i];
        m[n++] = VI(c->id);
        m[n++] = VS(f->visited_on);
        m[n++] = VS(f->method);
        m[n++] = VS(f->content);
        m[n++] = VN(f->satisfaction);
        m[n++] = VN(c->actor_id);
        m[n++] = VS(f->created_at);
    }
    if (put_rows(k, ST_FU, m, 7, c->nfus, err) != 0)
        return -1;
    char ds[DEADLINE_KIND_COUNT][3][DATE_STR_SIZE];
    int ndl = 0;
    for (int o = 0; o < DEADLINE_KIND_COUNT; o++) {
        int i = k->dl_order[o]; /* in key order (case, kind), for bulk mode */
        const gdl *dl = &c->dl[i];
        if (!dl->on)
            continue;
        char(*d3)[DATE_STR_SIZE] = ds[ndl];
        day_str(dl->start, d3[0]);
        day_str(dl->due, d3[1]);
        if (dl->stop >= 0)
            day_str(dl->stop, d3[2]);
        db_arg *row = m + 5 * ndl++;
        row[0] = VI(c->id);
        row[1] = VS(deadline_kind_name((deadline_kind)i));
        row[2] = VS(d3[0]);
        row[3] = VS(d3[1]);
        row[4] = VS(dl->stop >= 0 ? d3[2] : NULL);
    }
    if (put_rows(k, ST_DL, m, 5, ndl, err) != 0)
        return -1;
    for (int i = 0; i < c->nevs; i++) {
        const gev *e = &c->evs[i];
        n = 0;
        a[n++] = VI(c->id);
        a[n++] = VS(e->event);
        a[n++] = VS(e->from);
        a[n++] = VS(e->to);
        a[n++] = VS(e->at);
        a[n++] = VN(e->actor_id);
        a[n++] = VS(e->actor_name);
        a[n++] = VI(e->org_id);
        a[n++] = VS(e->summary);
        a[n++] = VS(e->detail);
        if (put(k, ST_EV, a, n, err) != 0)
            return -1;
    }
    return emit_search(k, c, err) != 0 ? -1 : emit_referrals(k, c, err);
}

/* Registration schedule: weight per day from the working-day calendar, the
 * season and a slow growth; the last day only up to end_sec. */
static void schedule_build(genctx *g)
{
    g->sched = xmalloc((size_t)g->ndays * sizeof *g->sched);
    double cum = 0;
    static const double month_w[13] = {0,   1.15, 0.9, 1.05, 1.0, 1.0, 1.0,
                                       1.1, 1.1,  1.0, 1.0,  1.0, 1.15};
    for (int i = 0; i < g->ndays; i++) {
        int day = g->first_day + i;
        tj_date d = date_of(day);
        double w;
        if (calendar_is_working_day(NULL, d))
            w = 1.0;
        else
            w = date_weekday(d) >= 5 ? 0.3 : 0.15;
        w *= month_w[d.m] * (1.0 + 0.05 * (double)i / 365.0);
        if (day == g->today) {
            double open = (double)(g->end_sec - (8 * 3600 + 1800)) / (9 * 3600 + 1800);
            w *= open < 0 ? 0 : open > 1 ? 1 : open;
        }
        cum += w;
        g->sched[i] = cum;
    }
}

static void status_count(gen_report *rep, const gcase *c)
{
    if (rep && (int)c->state < 9)
        rep->by_status[c->state]++;
}

/* Write the per-org, per-year case number counters (case_numbers) after the cases. */
static int numbers_rows(const catalog *cat, int (*fn)(void *, int64_t, int, int, tj_err *),
                        void *ctx, tj_err *err)
{
    for (int i = 0; i < cat->norgs; i++)
        for (int y = 0; y < 8; y++)
            if (cat->orgs[i].nums[y] &&
                fn(ctx, cat->orgs[i].id, cat->first_year + y, cat->orgs[i].nums[y], err) != 0)
                return -1;
    return 0;
}

/* ------------------------------------------------------------------------- */
/* the demo county's cases                                                    */

static int num_db(void *ctx, int64_t org, int year, int n, tj_err *err)
{
    return db_run((db *)ctx, NULL, err,
                  "INSERT INTO case_numbers(org_id, year, last_no) VALUES (?, ?, ?)", "iii", org,
                  (int64_t)year, (int64_t)n);
}

/* Link the `mediator` account to the first mediator of its committee (same name). */
static int link_mediator_account(db *d, const char *now, int64_t *user, int64_t *person, char *name,
                                 size_t cap, int64_t *org, tj_err *err)
{
    *user = *person = *org = 0;
    db_stmt *s;
    if (db_query(d, &s, err, "SELECT id, name, org_id FROM users WHERE login = 'mediator'", "") !=
        0)
        return -1;
    int rc = db_step(s, err);
    if (rc == 1) {
        *user = db_col_int(s, 0);
        snprintf(name, cap, "%s", db_col_text(s, 1));
        *org = db_col_int(s, 2);
    }
    db_done(s);
    if (rc <= 0)
        return rc;
    bool found = false;
    if (db_scalar_int(d, person, &found, err,
                      "SELECT p.id FROM persons p JOIN person_orgs po ON po.person_id = p.id"
                      " WHERE po.org_id = ? AND p.kind = 'mediator' ORDER BY p.id LIMIT 1",
                      "i", *org) != 0)
        return -1;
    if (!found) {
        *person = 0;
        return 0;
    }
    return db_run(d, NULL, err,
                  "UPDATE persons SET user_id = ?, name = ?, updated_at = ? WHERE id = ?", "issi",
                  *user, name, now, *person);
}

static void genctx_days(genctx *g, tj_date today, int end_sec, int years)
{
    g->today = day_of(today);
    g->end_sec = end_sec;
    g->first_day = g->today - years * 365 + 1;
    g->ndays = g->today - g->first_day + 1;
    g->cat->first_year = date_of(g->first_day).y;
    schedule_build(g);
}

int gen_demo_cases(db *d, int n, tj_err *err)
{
    catalog cat;
    char now[21], uname[64] = "";
    int64_t t = clock_unix(), user, person, org;
    clock_iso(t, now);
    if (link_mediator_account(d, now, &user, &person, uname, sizeof uname, &org, err) != 0 ||
        catalog_load(d, &cat, err) != 0)
        return -1;
    for (int i = 0; i < cat.norgs; i++)
        if (cat.orgs[i].id == org && person && cat.orgs[i].nmed)
            cat.focus = i;
    cat.focus_person = person;
    cat.focus_user = user;
    COPYS(cat.focus_user_name, uname);
    genctx g = {.cat = &cat, .seed = 20261123, .ncases = n};
    genctx_days(&g, date_today_shanghai(t), (int)((t + 8 * 3600) % 86400), 2);
    int64_t base = 0;
    int rc = -1;
    gcase *c = xcalloc(1, sizeof *c);
    c->ar.cap = 64 * 1024;
    c->ar.p = xmalloc(c->ar.cap);
    sink k = {.d = d};
    sink_order(&k);
    if (db_scalar_int(d, &base, NULL, err, "SELECT COALESCE(MAX(id), 0) FROM cases", "") != 0)
        goto done;
    for (int i = 0; i < n; i++)
        if (simulate(&g, i, base + 1 + i, c, err) != 0 || case_tokens(&g, c, err) != 0 ||
            emit_case(&k, c, err) != 0)
            goto done;
    rc = numbers_rows(&cat, num_db, d, err);
done:
    free(c->ar.p);
    free(c);
    free(g.sched);
    free(g.text);
    catalog_free(&cat);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* the org network of a province slice                                        */

static const char *const professions[] = {"village_cadre",  "retired_cadre", "teacher",
                                          "lawyer",         "retired_judge", "legal_worker",
                                          "grid_worker",    "social_worker", "retired_police",
                                          "judicial_staff", "other"};
static const char *const specialties[] = {
    "marriage_family", "neighbour", "housing_homestead", "contract", "damages",    "forest_land",
    "labour",          "debt",      "property_mgmt",     "traffic",  "inheritance"};

typedef struct net {
    db *d;
    tj_err *err;
    rng r;
    char now[21];
    int next_pair;
    const char *prov_code;
    gen_report *rep;
    char **studios;
    int nstudios;
    int64_t first_village_org, first_office, first_police, root, first_bureau;
} net;

/* a fresh two-character place name, never used before in this province */
static void place_name(net *n, char *out, size_t cap)
{
    int na = N_OF(place_a), nb = N_OF(place_b), total = na * nb;
    for (;;) {
        int k = (int)(((int64_t)n->next_pair++ * 2897 + 1013) % total);
        const char *a = place_a[k / nb], *b = place_b[k % nb];
        if (strcmp(a, b) == 0)
            continue;
        snprintf(out, cap, "%s%s", a, b);
        return;
    }
}

static int net_org(net *n, const org_row *parent, org_row *out, const char *name, const char *kind,
                   const char *level, const char *region, const char *field, const char *host,
                   const char *ptype, const char *address, const char *phone, const char *founded)
{
    org_fields f = {name, kind, level, region, field, host, ptype, address, phone, founded};
    int64_t id;
    if (org_insert(n->d, parent, &f, &id, n->err) != 0)
        return -1;
    memset(out, 0, sizeof *out);
    out->id = id;
    out->parent_id = parent ? parent->id : 0;
    snprintf(out->path, sizeof out->path, "%s%lld/", parent ? parent->path : "/", (long long)id);
    COPYS(out->kind, kind);
    COPYS(out->level, level);
    COPYS(out->name, name);
    n->rep->orgs++;
    return 0;
}

static int net_region(net *n, const char *code, const char *name, const char *level,
                      const char *parent)
{
    return db_run(n->d, NULL, n->err,
                  "INSERT INTO regions(code, name, level, parent_code) VALUES (?,?,?,?)", "ssss",
                  code, name, level, parent);
}

static int net_person(net *n, int64_t org, const char *county, const char *kind, const char *duty,
                      bool full_time, const char *name_override, int64_t *pid_out)
{
    rng *r = &n->r;
    char namebuf[32], id[19], phone[12], masked[32], index[CRYPTO_HASH_HEX], spec[128];
    bool male = rn(r, 100) < 62;
    arena_t a = {namebuf, 0, sizeof namebuf};
    const char *name = name_override ? name_override : ar_name(&a, r, male);
    int by = rr(r, 1955, 1998), bm = rr(r, 1, 12), bd = rr(r, 1, 28);
    snprintf(id, sizeof id, "%.6s%04d%02d%02d%03d", county, by, bm, bd,
             rn(r, 100) * 10 + rn(r, 5) * 2 + (male ? 1 : 0));
    id[17] = idcheck_id_check_char(id);
    id[18] = 0;
    snprintf(phone, sizeof phone, "1%d%09d", 3 + rn(r, 7), rn(r, 1000000000));
    idcheck_mask_id(id, masked, sizeof masked);
    crypto_blind_index(id, index);
    char *sealed = crypto_seal(id);
    const char *s1 = PICK(r, specialties), *s2 = PICK(r, specialties);
    if (strcmp(s1, s2) == 0)
        snprintf(spec, sizeof spec, ",%s,", s1);
    else
        snprintf(spec, sizeof spec, ",%s,%s,", s1, s2);
    bool mediator = strcmp(kind, "mediator") == 0;
    int64_t pid;
    int rc = db_scalar_int(
        n->d, &pid, NULL, n->err,
        "INSERT INTO persons(name, sex, kind, employment, profession, background, specialties,"
        " phone, id_cipher, id_masked, id_index, grade, active, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1,?,?) RETURNING id",
        "sssssssssssIss", name, male ? "male" : "female", kind,
        full_time ? "full_time" : "part_time", PICK(r, professions), NULL, mediator ? spec : ",",
        phone, sealed, masked, index, mediator ? (int64_t)rr(r, 1, 4) : (int64_t)0, n->now, n->now);
    crypto_wipe(id, sizeof id);
    free(sealed);
    if (rc != 0)
        return -1;
    n->rep->persons++;
    if (pid_out)
        *pid_out = pid;
    return db_run(n->d, NULL, n->err,
                  "INSERT INTO person_orgs(person_id, org_id, duty) VALUES (?,?,?)", "iis", pid,
                  org, duty);
}

static const char *const duties[] = {"主任", "副主任", "委员", "调解员"};

static int net_staff(net *n, int64_t org, const char *county, int mediators, int full_time)
{
    for (int k = 0; k < mediators; k++)
        if (net_person(n, org, county, "mediator",
                       duties[k == 0   ? 0
                              : k == 1 ? 1
                                       : 3],
                       k < full_time, NULL, NULL) != 0)
            return -1;
    return 0;
}

static int net_county(net *n, const org_row *city_bureau, const char *city, const char *city_code,
                      const char *code, int county_no)
{
    rng *r = &n->r;
    char cname[32], base[16], name[256], addr[256], tcode[16], vcode[20];
    place_name(n, base, sizeof base);
    static const char *const suffix[] = {"县", "县", "县", "县", "县",
                                         "县", "县", "区", "区", "市"};
    const char *suf = PICK(r, suffix);
    snprintf(cname, sizeof cname, "%s%s", base, suf);
    if (net_region(n, code, cname, "county", city_code) != 0)
        return -1;
    n->rep->counties++;
    org_row bureau, o, office, tcomm;
    snprintf(name, sizeof name, "%s司法局", cname);
    snprintf(addr, sizeof addr, "%s人民路%d号", cname, rr(r, 1, 200));
    if (net_org(n, city_bureau, &bureau, name, "bureau", "county", code, NULL, NULL, NULL, addr,
                NULL, "1980-06-01") != 0)
        return -1;
    if (!n->first_bureau)
        n->first_bureau = bureau.id;
    for (int k = 0; k < 6; k++)
        if (net_person(n, bureau.id, code, k < 4 ? "expert" : "legal_advisor", "成员", false, NULL,
                       NULL) != 0)
            return -1;
    /* partner agencies (the two police stations are named after townships below) */
    char t1[16], t2[16];
    place_name(n, t1, sizeof t1);
    place_name(n, t2, sizeof t2);
    static const struct {
        const char *fmt, *ptype;
    } partners[] = {{"%s信访局", "petition"},           {"%s公安局%s派出所", "police"},
                    {"%s公安局%s派出所", "police"},     {"%s人民法院", "court"},
                    {"%s人民检察院", "procuratorate"},  {"%s人力资源和社会保障局", "admin"},
                    {"中共%s委政法委员会", "party_gov"}};
    for (int k = 0; k < N_OF(partners); k++) {
        snprintf(name, sizeof name, partners[k].fmt, cname, k == 1 ? t1 : t2);
        if (net_org(n, &bureau, &o, name, "partner", "county", code, NULL, NULL, partners[k].ptype,
                    addr, NULL, "2010-01-01") != 0)
            return -1;
        if (k == 1 && !n->first_police)
            n->first_police = o.id;
    }
    /* industry committees and dispatched rooms: named with the city so their
     * case numbers stay unique across counties (see docs/performance.md) */
    static const struct {
        const char *label, *field;
        int permille;
    } fields[] = {{"医疗纠纷", "medical", 1000},   {"道路交通事故纠纷", "traffic", 1000},
                  {"劳动争议", "labour", 1000},    {"物业纠纷", "property", 800},
                  {"婚姻家庭纠纷", "family", 900}, {"土地承包纠纷", "land", 400},
                  {"金融纠纷", "finance", 250}};
    for (int k = 0; k < N_OF(fields); k++) {
        if (!pm(r, fields[k].permille))
            continue;
        snprintf(name, sizeof name, "%s%s%s人民调解委员会", city, cname, fields[k].label);
        if (net_org(n, &bureau, &o, name, "committee", "county", code, fields[k].field, NULL, NULL,
                    addr, NULL, "2012-03-15") != 0 ||
            net_staff(n, o.id, code, rr(r, 3, 6), 2) != 0)
            return -1;
    }
    static const struct {
        const char *fmt, *host;
    } rooms[] = {{"%s%s人民法院诉前人民调解室", "court"},
                 {"%s%s信访局人民调解室", "petition"},
                 {"%s%s人民检察院检调对接人民调解室", "procuratorate"}};
    for (int k = 0; k < N_OF(rooms); k++) {
        snprintf(name, sizeof name, rooms[k].fmt, city, cname);
        if (net_org(n, &bureau, &o, name, "dispatched_room", "county", code, NULL, rooms[k].host,
                    NULL, addr, NULL, "2016-06-01") != 0 ||
            net_staff(n, o.id, code, rr(r, 2, 3), 1) != 0)
            return -1;
    }
    int ntown = rr(r, 8, 18);
    for (int t = 0; t < ntown; t++) {
        char town[32], tb[16];
        if (t == 0)
            snprintf(tb, sizeof tb, "%s", t1);
        else if (t == 1)
            snprintf(tb, sizeof tb, "%s", t2);
        else
            place_name(n, tb, sizeof tb);
        bool street = strcmp(suf, "区") == 0 ? rn(r, 100) < 60 : rn(r, 100) < 8;
        snprintf(town, sizeof town, "%s%s", tb, street ? "街道" : rn(r, 100) < 75 ? "镇" : "乡");
        const char *tlevel = street ? "street" : "township";
        snprintf(tcode, sizeof tcode, "%s%03d", code, 101 + t);
        if (net_region(n, tcode, town, tlevel, code) != 0)
            return -1;
        snprintf(name, sizeof name, "%s%s司法所", cname, town);
        snprintf(addr, sizeof addr, "%s政府院内", town);
        if (net_org(n, &bureau, &office, name, "judicial_office", tlevel, tcode, NULL, NULL, NULL,
                    addr, NULL, "2003-05-01") != 0)
            return -1;
        if (!n->first_office)
            n->first_office = office.id;
        snprintf(name, sizeof name, "%s人民调解委员会", town);
        if (net_org(n, &office, &tcomm, name, "committee", tlevel, tcode, NULL, NULL, NULL, addr,
                    NULL, "2005-09-01") != 0 ||
            net_staff(n, tcomm.id, code, rr(r, 4, 6), 2) != 0)
            return -1;
        if (pm(r, 400)) {
            snprintf(name, sizeof name, "%s派出所人民调解室", town);
            if (net_org(n, &office, &o, name, "dispatched_room", tlevel, tcode, NULL, "police",
                        NULL, addr, NULL, "2018-01-10") != 0 ||
                net_staff(n, o.id, code, 2, 1) != 0)
                return -1;
        }
        if (pm(r, 150)) {
            /* a personal-brand studio named after its mediator */
            char sname[64];
            arena_t a = {sname, 0, sizeof sname};
            const char *who = ar_name(&a, r, rn(r, 100) < 70);
            snprintf(name, sizeof name, "%s调解工作室", who);
            for (int k = 0; k < n->nstudios; k++)
                if (strcmp(n->studios[k], name) == 0)
                    snprintf(name, sizeof name, "%s%s调解工作室", town, who);
            n->studios = xrealloc(n->studios, (size_t)(n->nstudios + 1) * sizeof *n->studios);
            n->studios[n->nstudios++] = xstrdup(name);
            if (net_org(n, &office, &o, name, "studio", tlevel, tcode, NULL, NULL, NULL, addr, NULL,
                        "2019-04-20") != 0 ||
                net_person(n, o.id, code, "mediator", "负责人", true, who, NULL) != 0 ||
                (pm(r, 500) && net_staff(n, o.id, code, 1, 0) != 0))
                return -1;
        }
        int nvill = rr(r, 8, 18);
        int pool[N_OF(village_names)];
        for (int k = 0; k < N_OF(village_names); k++)
            pool[k] = k;
        for (int v = 0; v < nvill; v++) {
            int j = v + rn(r, N_OF(village_names) - v), tmp = pool[v];
            pool[v] = pool[j];
            pool[j] = tmp;
            bool community = street || v == 0;
            char vfull[64];
            snprintf(vfull, sizeof vfull, "%s%s", village_names[pool[v]],
                     community ? "社区" : "村");
            snprintf(vcode, sizeof vcode, "%s%03d", tcode, (community ? 1 : 200) + v);
            if (net_region(n, vcode, vfull, community ? "community" : "village", tcode) != 0)
                return -1;
            /* a few villages have no committee yet: the coverage check finds them */
            if (pm(r, 25) && !(county_no == 0 && t == 0 && v == 0))
                continue;
            snprintf(name, sizeof name, "%s%s人民调解委员会", town, vfull);
            snprintf(addr, sizeof addr, "%s%s%s", town, vfull, community ? "居委会" : "村委会");
            if (net_org(n, &office, &o, name, "committee", community ? "community" : "village",
                        vcode, NULL, NULL, NULL, addr, NULL, "2010-01-01") != 0 ||
                net_staff(n, o.id, code, rr(r, 2, 3), 0) != 0 ||
                net_person(n, o.id, code, "informant", "信息员", false, NULL, NULL) != 0 ||
                (pm(r, 330) &&
                 net_person(n, o.id, code, "volunteer", "志愿者", false, NULL, NULL) != 0))
                return -1;
            if (!n->first_village_org)
                n->first_village_org = o.id;
        }
    }
    return 0;
}

static int net_account(net *n, const char *login, const char *name, int64_t org, const char *role,
                       const char *hash, int64_t *id)
{
    user_row u = {0};
    COPYS(u.login, login);
    COPYS(u.name, name);
    COPYS(u.role, role);
    u.org_id = org;
    return user_insert(n->d, &u, hash, id, n->err);
}

int gen_network(db *d, const gen_opts *o, gen_report *rep, tj_err *err)
{
    int64_t t0 = clock_mono_ns();
    net n = {.d = d, .err = err, .r = rng_for(o->seed, UINT64_C(0xC0FFEE)), .rep = rep};
    clock_iso(clock_unix(), n.now);
    n.next_pair = (int)(o->seed % 4096);
    int64_t per_county = (int64_t)o->years * 4000;
    int counties = (int)((o->cases + per_county / 2) / per_county);
    if (counties < 1)
        counties = 1;
    if (counties > 150)
        counties = 150;
    int cities = (counties + 7) / 8;
    char hash[CRYPTO_PWHASH_LEN];
    if (crypto_password_hash(DEMO_PASSWORD, hash, err) != 0)
        return -1;
    if (db_begin(d, true, err) != 0)
        return -1;
    org_row root, cb;
    char name[256], city[32], base[16], code[8];
    if (net_region(&n, "360000", "江川省", "province", NULL) != 0 ||
        net_org(&n, NULL, &root, "江川省司法厅", "bureau", "province", "360000", NULL, NULL, NULL,
                "江川省省府路1号", "0791-86000000", "1979-10-01") != 0)
        goto fail;
    for (int c = 0, made = 0; c < cities; c++) {
        place_name(&n, base, sizeof base);
        snprintf(city, sizeof city, "%s市", base);
        snprintf(code, sizeof code, "36%02d00", c + 1);
        snprintf(name, sizeof name, "%s司法局", city);
        if (net_region(&n, code, city, "city", "360000") != 0 ||
            net_org(&n, &root, &cb, name, "bureau", "city", code, NULL, NULL, NULL, NULL, NULL,
                    "1980-01-01") != 0)
            goto fail;
        int here = (counties - made + (cities - c) - 1) / (cities - c);
        for (int k = 0; k < here; k++, made++) {
            char ccode[8];
            snprintf(ccode, sizeof ccode, "36%02d%02d", c + 1, k + 21);
            if (net_county(&n, &cb, city, code, ccode, made) != 0)
                goto fail;
        }
    }
    /* one account per role, as in the demo county; the mediator is a person too */
    char mname[32] = "王德明";
    int64_t uid, pid;
    static const struct {
        const char *login, *name, *role;
        int org;
    } accounts[] = {
        {"admin", "系统管理员", "admin", 0},     {"bureau", "陈建华", "bureau_staff", 1},
        {"office", "李秀梅", "office_staff", 2}, {"mediator", "王德明", "mediator", 3},
        {"informant", "赵小红", "informant", 3}, {"partner", "刘警官", "partner", 4},
        {"auditor", "孙审计", "auditor", 0},
    };
    int64_t orgs[] = {root.id, n.first_bureau, n.first_office, n.first_village_org, n.first_police};
    for (int k = 0; k < N_OF(accounts); k++)
        if (net_account(&n, accounts[k].login, accounts[k].name, orgs[accounts[k].org],
                        accounts[k].role, hash, &uid) != 0)
            goto fail;
    if (net_person(&n, n.first_village_org, "360121", "mediator", "调解员", false, mname, &pid) !=
            0 ||
        db_run(d, NULL, err,
               "UPDATE persons SET user_id = (SELECT id FROM users WHERE login ="
               " 'mediator') WHERE id = ?",
               "i", pid) != 0)
        goto fail;
    char params[160];
    snprintf(params, sizeof params, "{\"cases\":%lld,\"seed\":%llu,\"years\":%d}",
             (long long)o->cases, (unsigned long long)o->seed, o->years);
    if (db_run(d, NULL, err, "INSERT INTO settings(key, value) VALUES ('demo', '1')", "") != 0 ||
        db_run(d, NULL, err, "INSERT INTO settings(key, value) VALUES ('generated', ?)", "s",
               params) != 0 ||
        db_commit(d, err) != 0)
        goto fail;
    for (int k = 0; k < n.nstudios; k++)
        free(n.studios[k]);
    free(n.studios);
    crypto_wipe(hash, sizeof hash);
    rep->network_s = (double)(clock_mono_ns() - t0) / 1e9;
    return 0;
fail:
    db_rollback(d);
    for (int k = 0; k < n.nstudios; k++)
        free(n.studios[k]);
    free(n.studios);
    crypto_wipe(hash, sizeof hash);
    return -1;
}

/* ------------------------------------------------------------------------- */
/* the bulk load                                                              */

static int sq_exec(sqlite3 *h, const char *sql, tj_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(err, 500, "internal", NULL, "SQLite：%s（%.60s）", msg ? msg : "?", sql);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

typedef struct numctx {
    sqlite3 *h;
    sqlite3_stmt *st;
} numctx;

static int num_raw(void *ctx, int64_t org, int year, int n, tj_err *err)
{
    numctx *x = ctx;
    sqlite3_bind_int64(x->st, 1, org);
    sqlite3_bind_int64(x->st, 2, year);
    sqlite3_bind_int64(x->st, 3, n);
    int rc = sqlite3_step(x->st);
    sqlite3_reset(x->st);
    if (rc != SQLITE_DONE)
        return err_set(err, 500, "internal", NULL, "写入案号计数失败：%s", sqlite3_errmsg(x->h));
    return 0;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void phase(const char *what, double *mark)
{
    if (getenv("TJ_GEN_DEBUG")) {
        double t = cpu_now();
        struct timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        static int64_t wall;
        int64_t now = clock_mono_ns();
        fprintf(stderr, "[gen] %s: %.2f s wall, %.2f s CPU (this thread so far %.2f s)\n", what,
                wall ? (double)(now - wall) / 1e9 : 0.0, t - *mark,
                (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
        *mark = t;
        wall = now;
    }
}

static void progress(const gen_opts *o, int64_t done, int64_t t0, const char *what)
{
    if (!o->progress)
        return;
    double s = (double)(clock_mono_ns() - t0) / 1e9;
    fprintf(stderr, "\r%s %lld/%lld（%.0f 件/秒）   ", what, (long long)done, (long long)o->cases,
            s > 0 ? (double)done / s : 0.0);
    fflush(stderr);
}

/* Secondary indexes of the case tables are dropped for the load and built again
 * from their own stored SQL afterwards (a sort instead of random b-tree inserts).
 * The ones kept grow at a few points each (keys led by case_id, status, type or a
 * date); cases_no and cases_org_day lead with an org, so every case lands on one of
 * thousands of leaves (18,552 orgs at 1M cases) and cases_no, being unique, is
 * searched twice: at 1M cases they cost the writer 19 s of CPU during the load and
 * 2-3 s to build afterwards. The referrals' indexes are kept: dropped and built
 * afterwards they cost 6.0 s of wall time at 1M cases (each of the nine reads the
 * 555 MB of letters back), kept during the load ~2.6 s of the writer's CPU. All but
 * the three partial ones: SQLite evaluates `status IN (…)` of more than two values
 * with a temporary b-tree built again for every row inserted (three per letter);
 * built afterwards they take 1.4 s at 1M cases. The other partial indexes
 * (cases_registered, case_deadlines_open) are dropped too: rows are appended
 * (db/sqlite_append.h), which maintains no partial index; both are small. */
#define LOAD_DROPPED_INDEXES                                                                       \
    "'cases_org','cases_reg_org','case_parties_id_index','case_mediators_person','cases_filter',"  \
    "'case_deadlines_due','cases_next_due','cases_no','cases_org_day','referrals_todo_target',"    \
    "'referrals_todo_referrer','referrals_todo_partner','cases_registered','case_deadlines_open'"
typedef struct idxset {
    char **sql;
    int n;
} idxset;

static void idxset_free(idxset *x)
{
    for (int i = 0; i < x->n; i++)
        free(x->sql[i]);
    free(x->sql);
    memset(x, 0, sizeof *x);
}

/* Drop the indexes named in `names` (an SQL list of names), keeping their SQL in x. */
static int indexes_drop(sqlite3 *h, const char *names_in, idxset *x, tj_err *err)
{
    sqlite3_stmt *q;
    char *sql = sqlite3_mprintf("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND"
                                " sql IS NOT NULL AND name IN (%s) ORDER BY rowid",
                                names_in);
    int prc = sql ? sqlite3_prepare_v2(h, sql, -1, &q, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (prc != SQLITE_OK)
        return err_set(err, 500, "internal", NULL, "SQLite：%s", sqlite3_errmsg(h));
    char **names = NULL;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        x->sql = xrealloc(x->sql, (size_t)(x->n + 1) * sizeof *x->sql);
        names = xrealloc(names, (size_t)(x->n + 1) * sizeof *names);
        names[x->n] = xstrdup((const char *)sqlite3_column_text(q, 0));
        x->sql[x->n++] = xstrdup((const char *)sqlite3_column_text(q, 1));
    }
    sqlite3_finalize(q);
    int out = rc == SQLITE_DONE
                  ? 0
                  : err_set(err, 500, "internal", NULL, "SQLite：%s", sqlite3_errmsg(h));
    for (int i = 0; i < x->n; i++) {
        char drop[300];
        snprintf(drop, sizeof drop, "DROP INDEX \"%s\"", names[i]);
        if (!out && sq_exec(h, drop, err) != 0)
            out = -1;
        free(names[i]);
    }
    free(names);
    return out;
}

#define GB_CACHE "-524288" /* the main database's page cache during the load, 512 MB */

/* SQLite's sorter takes the main cache size as the size of one sorted run, and with
 * temp_store=MEMORY never splits at all: CREATE INDEX then merge-sorts millions of
 * linked records in one list, a cache miss per comparison (15 s for the four indexes
 * at 1M cases). Runs of 4 MB, sorted by the worker thread (PRAGMA threads) and
 * merged through temporary files, take half the time; the large cache returns after. */
static int indexes_create(sqlite3 *h, idxset *x, tj_err *err)
{
    if (sq_exec(h, "PRAGMA temp_store=FILE; PRAGMA cache_size=-4096", err) != 0)
        return -1;
    double mark = cpu_now();
    for (int i = 0; i < x->n; i++) {
        if (sq_exec(h, x->sql[i], err) != 0)
            return -1;
        phase(x->sql[i], &mark);
    }
    return sq_exec(h, "PRAGMA temp_store=MEMORY; PRAGMA cache_size=" GB_CACHE, err);
}

/* Two threads share the work. The producer simulates the cases batch by batch
 * (random streams per case, numbering in id order), hands each batch to the
 * writer and copies its search rows to a spool, from which it adds them to the
 * full-text index (built in a scratch database with the same FTS5 table) whenever
 * no slot is free; the writer appends the rows to the database. At the end the
 * scratch index's shadow tables are copied in (they are ordinary tables: the index
 * is exactly what FTS5 builds from those tokens). */
#define GB_CASES 512
/* Batches in flight. Each thread stalls now and then for a long while (the writer's
 * commit every 64 batches writes ~200 MB; the producer's full-text hash flushes a
 * segment at 64 MB): with 4 batches the other thread soon ran dry, and both cores
 * were ~20 % idle during the load (vmstat); 16 were ~5 % faster at 300k cases.
 * Since the writer appends most rows (db/sqlite_append.h) the producer is the slower
 * thread, and with 16 it waited at each of the writer's commits (0.07–0.24 s, 28
 * times at 1M cases): 32 batches (16,384 cases) hold a commit's worth, and the two
 * threads' waits at 1M fell from 8.0–10.7 s to 2.7–5.0 s (48 and 64: no better), for
 * ~130 MB more memory (peak 1.25 GB). */
#define GB_RING  32
#define GB_ARENA (48 * 1024)

enum { GB_FREE, GB_READY };

typedef struct gbatch {
    gcase *cases;
    int n, state;
    bool written;
} gbatch;

/* One batch's search rows waiting for the full-text index: the producer copies them
 * here so that the batch's slot is free as soon as it is written, and indexes them
 * when it would otherwise wait for a slot, or after the last batch. */
typedef struct spblock {
    struct spblock *next;
    int n, done;
    int64_t *id;
    const char **tokens, **scope;
    size_t bytes;
} spblock;

/* The spool's bound: past it the producer indexes before it simulates more (a
 * writer faster than the producer's two tasks). At 1M cases 0.4–35 MB of search rows
 * were still waiting when the last batch was simulated. */
#define SPOOL_MAX ((size_t)256 << 20)

typedef struct pipe_t {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    gbatch b[GB_RING];
    int64_t nbatches; /* total, known up front */
    int64_t prod_wait_ns;
    bool failed;
    tj_err err;
    /* producer */
    genctx *g;
    int64_t base;
    sqlite3 *aux;
    sqlite3_stmt *fts; /* INSERT INTO case_fts on aux */
    spblock *sp_head, *sp_tail;
    size_t sp_bytes;
    gen_report *rep;
    const gen_opts *o;
} pipe_t;

static void pipe_fail(pipe_t *p, const tj_err *e)
{
    pthread_mutex_lock(&p->mu);
    if (!p->failed && e)
        p->err = *e;
    p->failed = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* Copies batch b's search rows to the end of the spool. */
static void spool_add(pipe_t *p, const gbatch *b)
{
    size_t text = 0;
    for (int i = 0; i < b->n; i++)
        text += strlen(b->cases[i].tokens) + strlen(b->cases[i].scope) + 2;
    size_t n = (size_t)b->n;
    spblock *k = xmalloc(sizeof *k + n * (sizeof(int64_t) + 2 * sizeof(char *)) + text);
    k->next = NULL;
    k->n = b->n;
    k->done = 0;
    k->id = (int64_t *)(k + 1);
    k->tokens = (const char **)(k->id + n);
    k->scope = k->tokens + n;
    char *t = (char *)(k->scope + n);
    for (int i = 0; i < b->n; i++) {
        const gcase *c = &b->cases[i];
        k->id[i] = c->id;
        size_t lt = strlen(c->tokens) + 1, ls = strlen(c->scope) + 1;
        k->tokens[i] = memcpy(t, c->tokens, lt);
        k->scope[i] = memcpy(t + lt, c->scope, ls);
        t += lt + ls;
    }
    k->bytes = sizeof *k + text;
    if (p->sp_tail)
        p->sp_tail->next = k;
    else
        p->sp_head = k;
    p->sp_tail = k;
    p->sp_bytes += k->bytes;
}

/* Adds up to n of the spool's oldest search rows to the full-text index. */
static int spool_index(pipe_t *p, int n, tj_err *err)
{
    while (n > 0 && p->sp_head) {
        spblock *k = p->sp_head;
        for (; k->done < k->n && n > 0; k->done++, n--) {
            const char *t = k->tokens[k->done];
            for (const char *x = t; *x; x++)
                p->rep->fts_tokens += *x == ' ';
            p->rep->fts_tokens += *t != 0;
            sqlite3_bind_int64(p->fts, 1, k->id[k->done]);
            sqlite3_bind_text(p->fts, 2, t, -1, SQLITE_STATIC);
            sqlite3_bind_text(p->fts, 3, k->scope[k->done], -1, SQLITE_STATIC);
            int rc = sqlite3_step(p->fts);
            sqlite3_reset(p->fts);
            if (rc != SQLITE_DONE)
                return err_set(err, 500, "internal", NULL, "建立全文索引失败：%s",
                               sqlite3_errmsg(p->aux));
        }
        if (k->done == k->n) {
            p->sp_head = k->next;
            if (!p->sp_head)
                p->sp_tail = NULL;
            p->sp_bytes -= k->bytes;
            free(k);
        }
    }
    return 0;
}

static void spool_free(pipe_t *p)
{
    while (p->sp_head) {
        spblock *k = p->sp_head;
        p->sp_head = k->next;
        free(k);
    }
    p->sp_tail = NULL;
    p->sp_bytes = 0;
}

/* The producer simulates each batch into a free slot and hands it to the writer;
 * the full-text index is built from the spool whenever no slot is free, so the
 * writer is kept fed first, and what is left is indexed after the last batch while
 * the writer builds the dropped indexes (the second core was idle then). The rows
 * reach the index in case order, as before: the same index, byte for byte. */
static void *producer_main(void *arg)
{
    pipe_t *p = arg;
    tj_err e = {0};
    pthread_setname_np(pthread_self(), "tiaojie-gen");
    if (sqlite3_prepare_v3(p->aux, "INSERT INTO case_fts(rowid, tokens, scope) VALUES (?, ?, ?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &p->fts, NULL) != SQLITE_OK ||
        sqlite3_exec(p->aux, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        err_set(&e, 500, "internal", NULL, "建立全文索引失败：%s", sqlite3_errmsg(p->aux));
        goto fail;
    }
    for (int64_t k = 0; k < p->nbatches; k++) {
        gbatch *b = &p->b[k % GB_RING];
        pthread_mutex_lock(&p->mu);
        int64_t w0 = clock_mono_ns();
        while (b->state != GB_FREE && !p->failed) {
            if (p->sp_head) {
                pthread_mutex_unlock(&p->mu);
                int rc = spool_index(p, 32, &e);
                pthread_mutex_lock(&p->mu);
                if (rc != 0) {
                    pthread_mutex_unlock(&p->mu);
                    goto fail;
                }
                w0 = clock_mono_ns();
                continue;
            }
            pthread_cond_wait(&p->cv, &p->mu);
        }
        p->prod_wait_ns += clock_mono_ns() - w0;
        bool failed = p->failed;
        pthread_mutex_unlock(&p->mu);
        if (failed)
            goto out;
        int64_t first = k * GB_CASES;
        int n = (int)(p->o->cases - first < GB_CASES ? p->o->cases - first : GB_CASES);
        for (int i = 0; i < n; i++) {
            gcase *c = &b->cases[i];
            if (simulate(p->g, first + i, p->base + 1 + first + i, c, &e) != 0 ||
                case_tokens(p->g, c, &e) != 0)
                goto fail;
            status_count(p->rep, c);
            p->rep->parties += c->nparties;
            p->rep->events += c->nevs;
            p->rep->referrals += c->nrefs;
        }
        b->n = n;
        spool_add(p, b);
        pthread_mutex_lock(&p->mu);
        b->written = false;
        b->state = GB_READY;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        while (p->sp_bytes > SPOOL_MAX)
            if (spool_index(p, 32, &e) != 0)
                goto fail;
    }
    if (getenv("TJ_GEN_DEBUG"))
        fprintf(stderr, "[gen] producer: last batch simulated, %.1f MB of search rows to index\n",
                (double)p->sp_bytes / 1048576.0);
    if (spool_index(p, INT_MAX, &e) != 0)
        goto fail;
    if (sqlite3_exec(p->aux, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        err_set(&e, 500, "internal", NULL, "建立全文索引失败：%s", sqlite3_errmsg(p->aux));
        goto fail;
    }
    if (getenv("TJ_GEN_DEBUG")) {
        struct timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        fprintf(stderr, "[gen] producer thread: %.2f s CPU\n",
                (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
    }
out:
    spool_free(p);
    sqlite3_finalize(p->fts);
    p->fts = NULL;
    return NULL;
fail:
    spool_free(p);
    sqlite3_finalize(p->fts);
    p->fts = NULL;
    pipe_fail(p, &e);
    return NULL;
}

/* The scratch index's tokenizer. case_fts indexes cjk_tokenize() output with
 * unicode61, which splits it at the spaces and nowhere else (core/cjk.h), yet still
 * decodes and classifies every character: a sixth of the producer's FTS5 time. This
 * one splits at the spaces itself and passes a token on unchanged when unicode61
 * would too (lowercase ASCII letters and digits, the CJK ideographs of Unicode 6.1,
 * kana, Hangul, 〇); any other token goes through a unicode61 instance made like the
 * real one. The shadow tables copied into the database are therefore byte for byte
 * the same. */
typedef struct spacetok {
    fts5_tokenizer u61;
    Fts5Tokenizer *inner;
} spacetok;

static int spacetok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)argv;
    (void)argc;
    spacetok *t = xcalloc(1, sizeof *t);
    fts5_api *api = ctx;
    void *ud = NULL;
    static const char *u61_args[] = {"remove_diacritics", "0"};
    if (api->xFindTokenizer(api, "unicode61", &ud, &t->u61) != SQLITE_OK ||
        t->u61.xCreate(ud, u61_args, 2, &t->inner) != SQLITE_OK) {
        free(t);
        return SQLITE_ERROR;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void spacetok_delete(Fts5Tokenizer *p)
{
    spacetok *t = (spacetok *)p;
    t->u61.xDelete(t->inner);
    free(t);
}

/* True if unicode61 keeps s[0..n) as one token, unchanged. */
static bool token_plain(const unsigned char *s, int n)
{
    for (int i = 0; i < n;) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                return false;
            i++;
            continue;
        }
        uint32_t cp;
        int len;
        if ((c & 0xF0) == 0xE0 && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
            (s[i + 2] & 0xC0) == 0x80) {
            cp = (c & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
            len = 3;
        } else if ((c & 0xF8) == 0xF0 && i + 3 < n && (s[i + 1] & 0xC0) == 0x80 &&
                   (s[i + 2] & 0xC0) == 0x80 && (s[i + 3] & 0xC0) == 0x80) {
            cp = (c & 0x07u) << 18 | (s[i + 1] & 0x3Fu) << 12 | (s[i + 2] & 0x3Fu) << 6 |
                 (s[i + 3] & 0x3Fu);
            len = 4;
        } else
            return false;
        /* only code points assigned as letters in SQLite's unicode61 tables (Unicode
         * 6.1): ideographs added later are unassigned there, hence separators, and
         * go through unicode61 like everything else */
        bool ok = cp == 0x3007 || (cp >= 0x3041 && cp <= 0x3096) ||
                  (cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x3400 && cp <= 0x4DB5) ||
                  (cp >= 0x4E00 && cp <= 0x9FCB) || (cp >= 0xAC00 && cp <= 0xD7A3);
        if (!ok)
            return false;
        i += len;
    }
    return true;
}

static int spacetok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                             int (*emit)(void *, int, const char *, int, int, int))
{
    spacetok *t = (spacetok *)p;
    for (int i = 0; i < n;) {
        while (i < n && text[i] == ' ')
            i++;
        int j = i;
        while (j < n && text[j] != ' ')
            j++;
        if (j > i) {
            int rc = token_plain((const unsigned char *)text + i, j - i)
                         ? emit(ctx, 0, text + i, j - i, i, j)
                         : t->u61.xTokenize(t->inner, ctx, flags, text + i, j - i, emit);
            if (rc != SQLITE_OK)
                return rc;
        }
        i = j;
    }
    return SQLITE_OK;
}

/* Register spacetok on h as "tj_space". 0, or -1 with err. */
static int spacetok_register(sqlite3 *h, tj_err *err)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
        return err_set(err, 500, "internal", NULL, "FTS5 不可用：%s", sqlite3_errmsg(h));
    sqlite3_bind_pointer(s, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(s);
    sqlite3_finalize(s);
    static fts5_tokenizer tk = {spacetok_create, spacetok_delete, spacetok_tokenize};
    if (!api || api->iVersion < 2 ||
        api->xCreateTokenizer(api, "tj_space", api, &tk, NULL) != SQLITE_OK)
        return err_set(err, 500, "internal", NULL, "FTS5 分词器注册失败");
    return 0;
}

/* Drop the triggers that feed case_fts from case_search and keep cases.next_due_on
 * (emit_case writes it), kept as SQL and recreated. */
static int triggers_drop(sqlite3 *h, idxset *x, tj_err *err)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(h,
                           "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND"
                           " tbl_name IN ('case_search', 'case_deadlines') ORDER BY rowid",
                           -1, &q, NULL) != SQLITE_OK)
        return err_set(err, 500, "internal", NULL, "SQLite：%s", sqlite3_errmsg(h));
    int out = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        x->sql = xrealloc(x->sql, (size_t)(x->n + 1) * sizeof *x->sql);
        x->sql[x->n++] = xstrdup((const char *)sqlite3_column_text(q, 1));
        char sql[300];
        snprintf(sql, sizeof sql, "DROP TRIGGER \"%s\"", (const char *)sqlite3_column_text(q, 0));
        if (!out && sq_exec(h, sql, err) != 0)
            out = -1;
    }
    sqlite3_finalize(q);
    return out;
}

/* Copy the scratch index's shadow tables (data, idx, docsize) over the empty ones. */
static int fts_copy(sqlite3 *h, const char *aux, tj_err *err)
{
    char *sql = sqlite3_mprintf("ATTACH %Q AS fts_aux", aux);
    int rc = sq_exec(h, sql, err);
    sqlite3_free(sql);
    if (rc != 0)
        return -1;
    static const char *const tabs[] = {"case_fts_data", "case_fts_idx", "case_fts_docsize"};
    for (int i = 0; i < N_OF(tabs) && rc == 0; i++) {
        char q[256];
        snprintf(q, sizeof q, "DELETE FROM main.%s; INSERT INTO main.%s SELECT * FROM fts_aux.%s;",
                 tabs[i], tabs[i], tabs[i]);
        rc = sq_exec(h, q, err);
    }
    return rc;
}

/* The copied index is one bulk segment on level 0: lift it (store/fts_lift.h). */
static int fts_lift_bulk(sqlite3 *h, tj_err *err)
{
    unsigned char rec[4096], lifted[4096 + 9 + 2 * FTS_LIFT_LEVELS];
    size_t n = 0, m = 0;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(h, "SELECT block FROM main.case_fts_data WHERE id = 10", -1, &s, NULL) !=
        SQLITE_OK)
        return err_set(err, 500, "internal", NULL, "全文索引结构读取失败：%s", sqlite3_errmsg(h));
    if (sqlite3_step(s) == SQLITE_ROW && (size_t)sqlite3_column_bytes(s, 0) <= sizeof rec) {
        n = (size_t)sqlite3_column_bytes(s, 0);
        memcpy(rec, sqlite3_column_blob(s, 0), n);
    }
    sqlite3_finalize(s);
    if (n)
        m = fts_lift_record(rec, n, FTS_LIFT_LEVELS, lifted, sizeof lifted);
    if (!m)
        return 0;
    if (sqlite3_prepare_v2(h, "UPDATE main.case_fts_data SET block = ? WHERE id = 10", -1, &s,
                           NULL) != SQLITE_OK)
        return err_set(err, 500, "internal", NULL, "全文索引结构写入失败：%s", sqlite3_errmsg(h));
    sqlite3_bind_blob(s, 1, lifted, (int)m, SQLITE_STATIC);
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(s);
    if (rc != 0)
        return err_set(err, 500, "internal", NULL, "全文索引结构写入失败：%s", sqlite3_errmsg(h));
    return 0;
}

int gen_cases_bulk(const char *path, const gen_opts *o, gen_report *rep, tj_err *err)
{
    int64_t t0 = clock_mono_ns();
    double mark = cpu_now();
    catalog cat;
    db *d;
    int64_t base = 0;
    if (db_open(&d, path, err) != 0)
        return -1;
    if (catalog_load(d, &cat, err) != 0 || partners_load(d, &cat, o->seed, err) != 0 ||
        db_scalar_int(d, &base, NULL, err, "SELECT COALESCE(MAX(id), 0) FROM cases", "") != 0) {
        catalog_free(&cat);
        db_close(d);
        return -1;
    }
    db_close(d);
    /* the load allocates and frees large blocks all the time (FTS5's term hash, page
     * cache, sorter): keep them in the heap instead of mapping fresh zeroed pages */
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    genctx g = {.cat = &cat, .seed = o->seed, .ncases = o->cases};
    genctx_days(&g, o->today.y ? o->today : date_today_shanghai(clock_unix()), 0, o->years);
    char aux[4200];
    snprintf(aux, sizeof aux, "%s.fts-build", path);
    unlink(aux);
    sqlite3 *h = NULL;
    sink k = {0};
    sink_order(&k);
    idxset idx = {0}, trg = {0};
    pipe_t p = {.g = &g, .base = base, .rep = rep, .o = o};
    p.nbatches = (o->cases + GB_CASES - 1) / GB_CASES;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    for (int i = 0; i < GB_RING; i++) {
        p.b[i].cases = xcalloc(GB_CASES, sizeof *p.b[i].cases);
        for (int j = 0; j < GB_CASES; j++) {
            p.b[i].cases[j].ar.cap = GB_ARENA;
            p.b[i].cases[j].ar.p = xmalloc(GB_ARENA);
        }
    }
    pthread_t tid;
    bool thread = false;
    int rc = -1;
    static const char *const pragmas =
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;"
        " PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF; PRAGMA threads=2;";
    /* page writes gathered into large runs (db/bulkvfs.c); TJ_GEN_PLAIN_VFS=1 writes
     * through SQLite's own unix VFS, to measure the difference */
    const char *vfs = getenv("TJ_GEN_PLAIN_VFS") ? NULL : db_sqlite_bulk_vfs();
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, vfs) != SQLITE_OK ||
        sqlite3_open_v2(aux, &p.aux,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        vfs) != SQLITE_OK) {
        err_set(err, 500, "internal", NULL, "无法打开数据库 %s", path);
        goto done;
    }
    k.h = h;
    /* TJ_GEN_PLAIN_INSERT=1: every table through its INSERT, to compare rows and time */
    k.plain = getenv("TJ_GEN_PLAIN_INSERT") != NULL;
    if (sq_exec(h, pragmas, err) != 0 || sq_exec(h, "PRAGMA cache_size=" GB_CACHE, err) != 0 ||
        sq_exec(p.aux, pragmas, err) != 0 || sq_exec(p.aux, "PRAGMA cache_size=-262144", err) != 0)
        goto done;
    {
        /* the scratch index: the same FTS5 definition as the real one */
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(h, "SELECT sql FROM sqlite_master WHERE name = 'case_fts'", -1, &s,
                               NULL) != SQLITE_OK ||
            sqlite3_step(s) != SQLITE_ROW) {
            sqlite3_finalize(s);
            err_set(err, 500, "internal", NULL, "数据库中没有全文索引表 case_fts");
            goto done;
        }
        const char *def = (const char *)sqlite3_column_text(s, 0);
        static const char u61[] = "tokenize='unicode61 remove_diacritics 0'";
        const char *at = strstr(def, u61);
        char *sql = at ? sqlite3_mprintf("%.*stokenize='tj_space'%s", (int)(at - def), def,
                                         at + sizeof u61 - 1)
                       : sqlite3_mprintf("%s", def);
        sqlite3_finalize(s);
        int e = !sql || (at && spacetok_register(p.aux, err) != 0) ? -1 : sq_exec(p.aux, sql, err);
        if (!sql)
            err_set(err, 500, "internal", NULL, "内存不足");
        sqlite3_free(sql);
        /* a larger in-memory term hash than the default 1 MB: fewer, larger segments */
        if (e != 0 ||
            sq_exec(p.aux, "INSERT INTO case_fts(case_fts, rank) VALUES ('hashsize', 67108864)",
                    err) != 0)
            goto done;
    }
    /* every INSERT checked against the schema before the threads start */
    for (int i = 0; i < ST__N; i++) {
        sqlite3_stmt *s;
        int prc = sqlite3_prepare_v2(h, st_sql[i], -1, &s, NULL);
        sqlite3_finalize(s);
        if (prc != SQLITE_OK) {
            err_set(err, 500, "internal", NULL, "SQLite：%s", sqlite3_errmsg(h));
            goto done;
        }
    }
    if (sq_exec(h, "BEGIN IMMEDIATE", err) != 0 ||
        indexes_drop(h, LOAD_DROPPED_INDEXES, &idx, err) != 0 || triggers_drop(h, &trg, err) != 0)
        goto done;
    /* TJ_GEN_NO_BULK=1: the bulk tables through the ordinary appender, to compare */
    if (!k.plain && !getenv("TJ_GEN_NO_BULK") && sink_open_bulk(&k, err) != 0)
        goto done;
    if (pthread_create(&tid, NULL, producer_main, &p) != 0) {
        err_set(err, 500, "internal", NULL, "无法创建线程");
        goto done;
    }
    thread = true;
    phase("setup", &mark);
    int64_t writer_wait = 0;
    for (int64_t kb = 0; kb < p.nbatches; kb++) {
        gbatch *b = &p.b[kb % GB_RING];
        pthread_mutex_lock(&p.mu);
        int64_t w0 = clock_mono_ns();
        while (!(b->state == GB_READY && !b->written) && !p.failed)
            pthread_cond_wait(&p.cv, &p.mu);
        writer_wait += clock_mono_ns() - w0;
        bool failed = p.failed;
        pthread_mutex_unlock(&p.mu);
        if (failed) {
            *err = p.err;
            goto done;
        }
        for (int i = 0; i < b->n; i++)
            if (emit_case(&k, &b->cases[i], err) != 0) {
                pipe_fail(&p, err);
                goto done;
            }
        if (sink_flush(&k, err) != 0) {
            pipe_fail(&p, err);
            goto done;
        }
        pthread_mutex_lock(&p.mu);
        b->written = true;
        b->state = GB_FREE; /* its search rows are in the producer's spool */
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        if ((kb & 31) == 31)
            progress(o, (kb + 1) * GB_CASES, t0, "生成案件");
        /* commit now and then: without a journal a commit only writes the dirty pages,
         * and SQLite's page cache slows down when it has to manage very many of them */
        if ((kb & 63) == 63 &&
            (sq_exec(h, "COMMIT", err) != 0 || sq_exec(h, "BEGIN IMMEDIATE", err) != 0)) {
            pipe_fail(&p, err);
            goto done;
        }
    }
    if (sink_finish_bulk(&k, err) != 0) {
        pipe_fail(&p, err);
        goto done;
    }
    rep->cases = o->cases;
    rep->cases_s = (double)(clock_mono_ns() - t0) / 1e9;
    phase("cases (writer)", &mark);
    if (getenv("TJ_GEN_DEBUG"))
        fprintf(stderr, "[gen] writer waited %.2f s for batches, producer %.2f s for free slots\n",
                (double)writer_wait / 1e9, (double)p.prod_wait_ns / 1e9);
    /* the dropped indexes are built while the producer finishes the full-text index */
    int64_t t1 = clock_mono_ns();
    if (o->progress)
        fprintf(stderr, "\r正在建立索引……                              ");
    if (indexes_create(h, &idx, err) != 0)
        goto done;
    phase("indexes", &mark);
    pthread_join(tid, NULL);
    thread = false;
    if (p.failed) {
        *err = p.err;
        goto done;
    }
    sqlite3_close_v2(p.aux);
    p.aux = NULL;
    {
        numctx x = {h, NULL};
        if (sqlite3_prepare_v2(h, "INSERT INTO case_numbers(org_id, year, last_no) VALUES (?,?,?)",
                               -1, &x.st, NULL) != SQLITE_OK) {
            err_set(err, 500, "internal", NULL, "SQLite：%s", sqlite3_errmsg(h));
            goto done;
        }
        int nr = numbers_rows(&cat, num_raw, &x, err);
        sqlite3_finalize(x.st);
        if (nr != 0)
            goto done;
    }
    phase("wait for the producer", &mark);
    if (fts_copy(h, aux, err) != 0 || fts_lift_bulk(h, err) != 0 ||
        indexes_create(h, &trg, err) != 0)
        goto done;
    phase("fts copy", &mark);
    if (sq_exec(h, "COMMIT", err) != 0 || sq_exec(h, "DETACH fts_aux", err) != 0)
        goto done;
    phase("commit", &mark);
    if (sq_exec(h, "PRAGMA journal_mode=WAL", err) != 0)
        goto done;
    rep->index_s = (double)(clock_mono_ns() - t1) / 1e9;
    rc = 0;
done:
    if (thread) {
        pipe_fail(&p, NULL);
        pthread_join(tid, NULL);
    }
    if (o->progress)
        fprintf(stderr, "\n");
    sink_close_all(&k); /* before the rollback: they hold b-tree cursors */
    for (int i = 0; i < ST__N; i++) {
        for (int j = 0; j <= Q_ROWS; j++)
            sqlite3_finalize(k.multi[i][j]);
        free(k.q[i].v);
        free(k.q[i].text);
    }
    if (p.aux)
        sqlite3_close_v2(p.aux);
    unlink(aux);
    if (h) {
        if (rc != 0)
            sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close_v2(h);
    }
    for (int i = 0; i < GB_RING; i++) {
        for (int j = 0; j < GB_CASES; j++)
            free(p.b[i].cases[j].ar.p);
        free(p.b[i].cases);
    }
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
    idxset_free(&idx);
    idxset_free(&trg);
    free(g.sched);
    free(g.text);
    catalog_free(&cat);
    rep->total_s = (double)(clock_mono_ns() - t0) / 1e9;
    if (rc != 0 && err) {
        /* the load ran without a rollback journal: what it wrote cannot be undone */
        size_t n = strlen(err->msg);
        snprintf(err->msg + n, sizeof err->msg - n, "（数据库 %s 不完整，请删除后重新生成）", path);
    }
    return rc;
}
