#include "core/dict.h"

#include <string.h>

#define D(n, ...)                                                                                  \
    static const dict_entry n##_e[] = {__VA_ARGS__, {NULL, NULL}};                                 \
    static const dict n##_d = {#n, n##_e};

D(org_kind, {"bureau", "司法局"}, {"judicial_office", "司法所"}, {"committee", "人民调解委员会"},
  {"dispatched_room", "派驻调解室"}, {"studio", "个人调解工作室"}, {"partner", "对接单位"})
D(org_level, {"province", "省级"}, {"city", "市级"}, {"county", "县级"}, {"township", "乡镇"},
  {"street", "街道"}, {"village", "村"}, {"community", "社区"})
D(committee_field, {"medical", "医疗纠纷"}, {"traffic", "道路交通"}, {"labour", "劳动争议"},
  {"property", "物业纠纷"}, {"land", "土地承包"}, {"environment", "环境保护"},
  {"internet", "互联网"}, {"tourism", "旅游"}, {"finance", "金融"}, {"ecommerce", "电子商务"},
  {"family", "婚姻家庭"}, {"other", "其他行业"})
D(host, {"police", "公安派出所"}, {"court", "人民法院"}, {"petition", "信访部门"},
  {"procuratorate", "人民检察院"}, {"admin", "行政机关"})
D(partner_type, {"petition", "信访部门"}, {"police", "公安机关"}, {"court", "人民法院"},
  {"procuratorate", "人民检察院"}, {"admin", "行政机关"}, {"party_gov", "党委政府"})
D(role, {"admin", "系统管理员"}, {"bureau_staff", "司法局工作人员"},
  {"office_staff", "司法所工作人员"}, {"mediator", "调解员"}, {"informant", "信息员"},
  {"partner", "对接单位"}, {"partner_lead", "对接单位负责人"}, {"auditor", "审计员"})
D(person_kind, {"mediator", "调解员"}, {"informant", "信息员/网格员"}, {"volunteer", "志愿者"},
  {"expert", "专家库成员"}, {"legal_advisor", "法律顾问"})
D(employment, {"full_time", "专职"}, {"part_time", "兼职"})
D(sex, {"male", "男"}, {"female", "女"})
D(profession, {"lawyer", "律师"}, {"retired_judge", "退休法官"},
  {"retired_prosecutor", "退休检察官"}, {"retired_police", "退休民警"}, {"notary", "公证员"},
  {"psychologist", "心理咨询师"}, {"doctor", "医生"}, {"teacher", "教师"},
  {"village_cadre", "村（社区）干部"}, {"grid_worker", "网格员"},
  {"judicial_staff", "司法行政干部"}, {"legal_worker", "基层法律服务工作者"},
  {"social_worker", "社会工作者"}, {"retired_cadre", "退休干部"}, {"other", "其他"})
/* People's-mediation dispute categories as used in the judicial statistics returns
 * (人民调解工作统计表): family and neighbour disputes first, then property, contract,
 * production, damages, land, demolition, environment, labour, medical, property
 * management, traffic, consumer and other. */
D(dispute_type, {"marriage_family", "婚姻家庭纠纷"}, {"neighbour", "邻里纠纷"},
  {"housing_homestead", "房屋宅基地纠纷"}, {"contract", "合同纠纷"}, {"production", "生产经营纠纷"},
  {"damages", "损害赔偿纠纷"}, {"forest_land", "山林土地纠纷"}, {"demolition", "征地拆迁纠纷"},
  {"environment", "环境污染纠纷"}, {"labour", "劳动争议纠纷"}, {"wage_arrears", "欠薪纠纷"},
  {"medical", "医疗纠纷"}, {"property_mgmt", "物业纠纷"}, {"traffic", "道路交通事故纠纷"},
  {"consumer", "消费纠纷"}, {"debt", "民间借贷纠纷"}, {"inheritance", "继承纠纷"},
  {"tourism", "旅游纠纷"}, {"ecommerce", "电子商务纠纷"}, {"other", "其他纠纷"})
D(audit_action, {"login", "登录"}, {"login_failed", "登录失败"}, {"logout", "退出"},
  {"create", "新增"}, {"update", "修改"}, {"move", "移动"}, {"dissolve", "撤销"},
  {"unmask", "查看完整身份证号"}, {"export", "导出"}, {"password_change", "修改密码"},
  {"password_reset", "重置密码"}, {"token_create", "创建令牌"}, {"token_revoke", "吊销令牌"},
  {"calendar_update", "修改工作日历"}, {"attach", "添加材料"}, {"recuse", "回避"},
  {"accept", "受理"}, {"refuse", "不予受理"}, {"withdraw", "撤回"}, {"assign", "指派调解员"},
  {"record_session", "记录调解"}, {"extend", "延长期限"}, {"agree", "达成协议"},
  {"terminate", "终止调解"}, {"escalate", "上报"}, {"apply_confirmation", "申请司法确认"},
  {"record_confirmation", "登记司法确认结果"}, {"record_performance", "登记履行情况"},
  {"follow_up", "回访"}, {"close", "结案"}, {"archive", "归档"}, {"submit", "提交审签"},
  {"approve", "审签"}, {"reject", "退回修改"}, {"cancel", "撤销"}, {"receipt", "签收"},
  {"return", "退回"}, {"dispute", "提出异议"}, {"consult", "会商"}, {"feedback", "反馈"},
  {"acknowledge", "确认"}, {"detach", "删除材料"}, {"secret_rotate", "重置密钥"},
  {"disable", "停用"}, {"retry", "重新推送"}, {"generate", "生成文书"}, {"file_submit", "提交卷宗"},
  {"file_review", "审核卷宗"})
D(object_type, {"org", "组织机构"}, {"person", "人员"}, {"user", "账号"}, {"token", "API令牌"},
  {"region", "行政区划"}, {"case", "案件"}, {"audit", "审计日志"}, {"calendar", "工作日历"},
  {"settings", "系统设置"}, {"file", "文件"}, {"session", "会话"}, {"referral", "移送"},
  {"webhook", "推送地址"}, {"webhook_delivery", "推送记录"}, {"document", "文书"},
  {"subsidy", "以案定补"})

D(source, {"walk_in", "当事人申请"}, {"screening", "排查发现"}, {"online", "线上申请"},
  {"referral", "移送"}, {"assigned", "党委政府交办"}, {"escalated", "下级上报"})
D(case_flag, {"mass", "涉众"}, {"military", "涉军"}, {"petition", "涉访"}, {"litigation", "涉诉"})
D(attachment_kind, {"signed_agreement", "签字的调解协议书"}, {"evidence", "证据材料"},
  {"id_proof", "身份证明"}, {"authorization", "授权委托书"}, {"performance_proof", "履行凭证"},
  {"confirmation", "司法确认材料"}, {"application", "书面申请书"}, {"consent", "当事人同意调解书"},
  {"referral_letter", "移送函"}, {"other", "其他材料"})
D(case_status, {"registered", "已登记"}, {"accepted", "已受理"}, {"refused", "不予受理"},
  {"withdrawn", "已撤回"}, {"mediating", "调解中"}, {"agreed", "调解成功"},
  {"terminated", "调解终止"}, {"closed", "已结案"}, {"archived", "已归档"})
D(party_role, {"applicant", "申请人"}, {"respondent", "被申请人"}, {"third_party", "第三人"})
D(party_kind, {"person", "自然人"}, {"legal_person", "法人"}, {"other_org", "非法人组织"})
D(record_kind, {"session", "调解记录"}, {"investigation", "调查记录"})
D(agreement_form, {"written", "书面协议"}, {"oral", "口头协议"})
D(termination_reason, {"no_agreement", "经调解不能达成协议"},
  {"party_refused", "一方当事人拒绝继续调解"}, {"party_absent", "当事人无正当理由不参加调解"},
  {"litigation", "当事人已向法院起诉或申请仲裁"}, {"beyond_scope", "不属于人民调解范围"},
  {"other", "其他原因"})
D(guidance, {"litigation", "依法向人民法院起诉"}, {"arbitration", "申请仲裁"},
  {"administrative", "申请行政处理"}, {"petition", "通过信访渠道反映"}, {"none", "无需引导"})
D(performance, {"performed", "已履行"}, {"partly_performed", "部分履行"},
  {"not_performed", "未履行"})
D(confirmation_result, {"confirmed", "确认有效"}, {"rejected", "驳回申请"})
D(follow_up_method, {"visit", "上门回访"}, {"phone", "电话回访"}, {"meeting", "约谈回访"},
  {"online", "线上回访"})
D(resolved_level, {"village", "村（社区）级"}, {"township", "乡镇（街道）级"},
  {"county", "县级及以上"})
D(deadline_kind, {"accept_referral", "移送受理期限"}, {"mediation", "调解期限"},
  {"feedback", "反馈期限"}, {"follow_up", "回访期限"},
  {"judicial_confirmation", "司法确认申请期限"})
D(ethnicity, {"汉族", "汉族"}, {"回族", "回族"}, {"满族", "满族"}, {"蒙古族", "蒙古族"},
  {"藏族", "藏族"}, {"维吾尔族", "维吾尔族"}, {"苗族", "苗族"}, {"彝族", "彝族"}, {"壮族", "壮族"},
  {"布依族", "布依族"}, {"朝鲜族", "朝鲜族"}, {"侗族", "侗族"}, {"瑶族", "瑶族"}, {"白族", "白族"},
  {"土家族", "土家族"}, {"哈尼族", "哈尼族"}, {"哈萨克族", "哈萨克族"}, {"傣族", "傣族"},
  {"黎族", "黎族"}, {"畲族", "畲族"}, {"其他", "其他民族"})

/* Referral docking (core/referral.h). */
D(referral_channel, {"petition", "访调对接"}, {"police", "公调对接"}, {"court", "诉调对接"},
  {"procuratorate", "检调对接"}, {"admin", "行政委托调解"})
D(referral_status, {"draft", "草稿"}, {"awaiting_approval", "待审签"}, {"sent", "已移送"},
  {"received", "已签收"}, {"accepted", "已受理"}, {"returned", "已退回"}, {"disputed", "会商中"},
  {"feedback_sent", "已反馈"}, {"acknowledged", "已确认"}, {"cancelled", "已撤销"})
D(referral_event, {"submit", "提交审签"}, {"approve", "审签并移送"}, {"reject", "退回修改"},
  {"cancel", "撤销"}, {"receipt", "签收"}, {"accept", "受理"}, {"return", "退回"},
  {"dispute", "提出异议"}, {"consult_accept", "会商：由原调委会受理"},
  {"consult_transfer", "会商：改由其他调解组织受理"}, {"consult_uphold", "会商：维持退回"},
  {"feedback", "反馈"}, {"acknowledge", "确认"})
D(return_reason, {"out_of_scope", "不属于人民调解范围"}, {"party_refused", "当事人不同意调解"},
  {"already_mediated", "已经调解或处理"}, {"other", "其他原因"})
D(consultation_outcome, {"accept", "由原调委会受理"}, {"transfer", "改由其他调解组织受理"},
  {"uphold", "维持退回"})
D(referral_attachment_kind, {"consent", "当事人同意调解书"}, {"referral_letter", "移送函"},
  {"evidence", "证据材料"}, {"id_proof", "身份证明"}, {"agreement", "调解协议书"},
  {"termination", "终止调解材料"}, {"other", "其他材料"})
D(feedback_outcome, {"agreed", "调解成功"}, {"terminated", "调解终止"}, {"withdrawn", "当事人撤回"})
D(referral_timeliness, {"pending", "办理中"}, {"overdue", "已逾期"}, {"on_time", "按时"},
  {"late", "超期"})
D(referral_task, {"approve", "待审签"}, {"accept_or_return", "待受理或退回"},
  {"await_decision", "等待调委会受理"}, {"review_return", "被退回，待确认或提出异议"},
  {"consult", "待会商"}, {"send_feedback", "待反馈"}, {"await_feedback", "等待反馈"},
  {"acknowledge", "待确认反馈"})
D(webhook_delivery_status, {"pending", "待推送"}, {"delivered", "已送达"}, {"failed", "推送失败"},
  {"cancelled", "已取消"})

/* Generated documents (core/case_file.h holds the same names and the rules). */
D(document_kind, {"application", "人民调解申请书"}, {"acceptance_register", "人民调解受理登记表"},
  {"rights_notice", "当事人权利义务告知书"}, {"investigation_record", "人民调解调查记录"},
  {"session_record", "人民调解记录"}, {"agreement", "人民调解协议书"},
  {"oral_agreement_register", "人民调解口头协议登记表"},
  {"termination_notice", "终止人民调解告知书"}, {"follow_up_record", "人民调解回访记录"},
  {"confirmation_guide", "司法确认申请指引"}, {"referral_letter", "移送函"},
  {"referral_receipt", "回执"}, {"cover", "卷宗封面及卷内目录"},
  {"back_cover", "卷宗封底（备考表）"}, {"file_note", "卷宗情况说明"})
D(case_file_status, {"draft", "未提交"}, {"submitted", "待审核"}, {"qualified", "合格"},
  {"unqualified", "不合格"})
D(file_review_result, {"qualified", "合格"}, {"unqualified", "不合格"})
D(difficulty, {"1", "一档（简易）"}, {"2", "二档（一般）"}, {"3", "三档（较难）"},
  {"4", "四档（疑难复杂）"})
D(retention, {"10年", "10年"}, {"30年", "30年"}, {"永久", "永久"})

const dict *const dict_all[] = {&org_kind_d,
                                &org_level_d,
                                &committee_field_d,
                                &host_d,
                                &partner_type_d,
                                &role_d,
                                &person_kind_d,
                                &employment_d,
                                &sex_d,
                                &profession_d,
                                &dispute_type_d,
                                &audit_action_d,
                                &object_type_d,
                                &source_d,
                                &attachment_kind_d,
                                &case_flag_d,
                                &case_status_d,
                                &party_role_d,
                                &party_kind_d,
                                &record_kind_d,
                                &agreement_form_d,
                                &termination_reason_d,
                                &guidance_d,
                                &performance_d,
                                &confirmation_result_d,
                                &follow_up_method_d,
                                &resolved_level_d,
                                &deadline_kind_d,
                                &ethnicity_d,
                                &referral_channel_d,
                                &referral_status_d,
                                &referral_event_d,
                                &return_reason_d,
                                &consultation_outcome_d,
                                &referral_attachment_kind_d,
                                &feedback_outcome_d,
                                &referral_timeliness_d,
                                &referral_task_d,
                                &webhook_delivery_status_d,
                                &document_kind_d,
                                &case_file_status_d,
                                &file_review_result_d,
                                &difficulty_d,
                                &retention_d,
                                NULL};

const dict *dict_find(const char *name)
{
    for (int i = 0; dict_all[i]; i++)
        if (strcmp(dict_all[i]->name, name) == 0)
            return dict_all[i];
    return NULL;
}

const char *dict_label(const char *name, const char *value)
{
    const dict *d = dict_find(name);
    if (!d || !value)
        return NULL;
    for (const dict_entry *e = d->entries; e->value; e++)
        if (strcmp(e->value, value) == 0)
            return e->label;
    return NULL;
}

bool dict_has(const char *name, const char *value)
{
    return dict_label(name, value) != NULL;
}
