#include "core/perm.h"

#include <string.h>

static const char *const role_names[ROLE__COUNT] = {"admin",        "bureau_staff", "office_staff",
                                                    "mediator",     "informant",    "partner",
                                                    "partner_lead", "auditor"};
static const char *const role_labels[ROLE__COUNT] = {
    "系统管理员", "司法局工作人员", "司法所工作人员", "调解员",
    "信息员",     "对接单位",       "对接单位负责人", "审计员"};

static const char *const perm_names[PERM__COUNT] = {
    "org.read",       "org.write",    "person.read",   "person.write",   "person.unmask",
    "user.manage",    "token.manage", "audit.read",    "calendar.write", "stats.read",
    "case.read",      "case.write",   "referral.read", "referral.write", "referral.approve",
    "webhook.manage", "case.review"};
static const char *const perm_labels[PERM__COUNT] = {
    "查看组织机构",     "维护组织机构",     "查看人员",
    "维护人员",         "查看完整身份证号", "管理账号",
    "管理API令牌",      "查看审计日志",     "维护工作日历和期限设置",
    "查看统计",         "查看案件",         "办理案件",
    "查看移送",         "办理移送",         "审签移送",
    "管理对接推送地址", "审核卷宗"};

/* One row per role, one column per permission (order of enum perm). Rationale:
 * - admin runs the installation for its subtree, so it holds everything;
 * - bureau and office staff supervise their subtree: maintain orgs and people, see
 *   full identity numbers when verifying a mediator, read the audit log of their area;
 * - mediators and informants work cases and read the network, nothing more;
 * - partners see the committees they refer to and their own referrals only; a
 *   partner's lead also approves (审签) its referrals and registers the partner
 *   system's notification endpoints (webhooks);
 * - informants report leads, not referrals;
 * - auditors read everything in their subtree, including the audit log, and change
 *   nothing (perm_read_only);
 * - case files are reviewed (考评审核) by the judicial office or bureau above the
 *   committee: admin, bureau and office staff (doc_store checks the ancestor org). */
static const unsigned char matrix[ROLE__COUNT][PERM__COUNT] = {
    /*             org.r org.w p.r p.w unm usr tok aud cal sta c.r c.w r.r r.w r.a whk c.rv */
    [ROLE_ADMIN] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    [ROLE_BUREAU_STAFF] = {1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1},
    [ROLE_OFFICE_STAFF] = {1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1},
    [ROLE_MEDIATOR] = {1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0},
    [ROLE_INFORMANT] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0},
    [ROLE_PARTNER] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0},
    [ROLE_PARTNER_LEAD] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0},
    [ROLE_AUDITOR] = {1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0},
};

int perm_role_parse(const char *s)
{
    for (int i = 0; i < ROLE__COUNT; i++)
        if (s && strcmp(s, role_names[i]) == 0)
            return i;
    return -1;
}

const char *perm_role_name(enum role r)
{
    return role_names[r];
}

const char *perm_role_label(enum role r)
{
    return role_labels[r];
}

const char *perm_name(enum perm p)
{
    return perm_names[p];
}

const char *perm_label(enum perm p)
{
    return perm_labels[p];
}

bool perm_read_only(enum role r)
{
    return r == ROLE_AUDITOR;
}

bool perm_partner_side(enum role r)
{
    return r == ROLE_PARTNER || r == ROLE_PARTNER_LEAD;
}

bool perm_allows(enum role r, enum perm p)
{
    if ((unsigned)r >= ROLE__COUNT || (unsigned)p >= PERM__COUNT)
        return false;
    return matrix[r][p] != 0;
}

uint32_t perm_mask(enum role r)
{
    uint32_t m = 0;
    for (int p = 0; p < PERM__COUNT; p++)
        if (perm_allows(r, (enum perm)p))
            m |= 1u << p;
    return m;
}
