<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>About</name>
    <message>
      <source>About dissuade</source>
      <translation>关于 dissuade</translation>
    </message>
    <message>
      <source>dissuade · anti-fraud dissuasion workbench</source>
      <translation>dissuade · 反诈劝阻工作台</translation>
    </message>
    <message>
      <source>Version %1</source>
      <translation>版本 %1</translation>
    </message>
  </context>
  <context>
    <name>Audit</name>
    <message>
      <source>Warning received</source>
      <translation>接收预警</translation>
    </message>
    <message>
      <source>Warnings imported</source>
      <translation>导入预警</translation>
    </message>
    <message>
      <source>Claimed a warning</source>
      <translation>领取预警</translation>
    </message>
    <message>
      <source>Renewed a claim</source>
      <translation>续期领取</translation>
    </message>
    <message>
      <source>Put a warning back</source>
      <translation>退回预警</translation>
    </message>
    <message>
      <source>Changed the scam type</source>
      <translation>更改诈骗类型</translation>
    </message>
    <message>
      <source>Raised the level</source>
      <translation>提高等级</translation>
    </message>
    <message>
      <source>Revealed sensitive data</source>
      <translation>查看敏感信息</translation>
    </message>
    <message>
      <source>Opened the full history</source>
      <translation>查看完整记录</translation>
    </message>
    <message>
      <source>Recorded an outcome</source>
      <translation>记录处置</translation>
    </message>
    <message>
      <source>Proposed an escalation</source>
      <translation>提出升级</translation>
    </message>
    <message>
      <source>Approved an escalation</source>
      <translation>批准升级</translation>
    </message>
    <message>
      <source>Rejected an escalation</source>
      <translation>驳回升级</translation>
    </message>
    <message>
      <source>Escalation moved on</source>
      <translation>升级进展</translation>
    </message>
    <message>
      <source>Extended a stop-payment hold</source>
      <translation>延长止付</translation>
    </message>
    <message>
      <source>Made a bank request PDF</source>
      <translation>生成银行协查函</translation>
    </message>
    <message>
      <source>Chase call started</source>
      <translation>开始追呼</translation>
    </message>
    <message>
      <source>Chase call made</source>
      <translation>完成追呼</translation>
    </message>
    <message>
      <source>SMS warning sent</source>
      <translation>发送预警短信</translation>
    </message>
    <message>
      <source>Call reviewed: pass</source>
      <translation>通话复核：合格</translation>
    </message>
    <message>
      <source>Call reviewed: fail</source>
      <translation>通话复核：不合格</translation>
    </message>
    <message>
      <source>Changed level policy</source>
      <translation>修改等级策略</translation>
    </message>
    <message>
      <source>Changed centre settings</source>
      <translation>修改中心设置</translation>
    </message>
    <message>
      <source>Added a user</source>
      <translation>新增用户</translation>
    </message>
    <message>
      <source>Issued a new token</source>
      <translation>更换令牌</translation>
    </message>
    <message>
      <source>Revoked a user</source>
      <translation>停用用户</translation>
    </message>
    <message>
      <source>Set a password</source>
      <translation>设置了密码</translation>
    </message>
    <message>
      <source>Signed in</source>
      <translation>登录</translation>
    </message>
    <message>
      <source>Signed out</source>
      <translation>签退</translation>
    </message>
    <message>
      <source>Finished a rehearsal</source>
      <translation>完成演练</translation>
    </message>
    <message>
      <source>Rehearsal turns</source>
      <translation>演练记录</translation>
    </message>
    <message>
      <source>Made demo data</source>
      <translation>生成演示数据</translation>
    </message>
    <message>
      <source>Made a demo database</source>
      <translation>创建演示数据库</translation>
    </message>
    <message>
      <source>Warning</source>
      <translation>预警</translation>
    </message>
    <message>
      <source>Escalation</source>
      <translation>升级</translation>
    </message>
    <message>
      <source>User</source>
      <translation>用户</translation>
    </message>
    <message>
      <source>Policy</source>
      <translation>策略</translation>
    </message>
    <message>
      <source>Rehearsal</source>
      <translation>演练</translation>
    </message>
    <message>
      <source>Proposed</source>
      <translation>已提出</translation>
    </message>
    <message>
      <source>Approved</source>
      <translation>已批准</translation>
    </message>
    <message>
      <source>Rejected</source>
      <translation>已驳回</translation>
    </message>
    <message>
      <source>Sent to the bank</source>
      <translation>已发送银行</translation>
    </message>
    <message>
      <source>Card locked</source>
      <translation>已止付/锁卡</translation>
    </message>
    <message>
      <source>Explained to the person</source>
      <translation>已向当事人解释</translation>
    </message>
    <message>
      <source>Card unlocked</source>
      <translation>已解卡</translation>
    </message>
    <message>
      <source>Officers dispatched</source>
      <translation>已派警</translation>
    </message>
    <message>
      <source>Visited</source>
      <translation>已上门</translation>
    </message>
    <message>
      <source>Calls scheduled</source>
      <translation>追呼中</translation>
    </message>
    <message>
      <source>Calls done</source>
      <translation>追呼结束</translation>
    </message>
    <message>
      <source>Hold extended</source>
      <translation>已延长止付</translation>
    </message>
    <message>
      <source>reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>field</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>outcome</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>note</source>
      <translation>说明</translation>
    </message>
    <message>
      <source>comment</source>
      <translation>意见</translation>
    </message>
    <message>
      <source>officer</source>
      <translation>处置人</translation>
    </message>
    <message>
      <source>call</source>
      <translation>通话</translation>
    </message>
    <message>
      <source>warning</source>
      <translation>预警</translation>
    </message>
    <message>
      <source>kind</source>
      <translation>方式</translation>
    </message>
    <message>
      <source>automatic</source>
      <translation>自动</translation>
    </message>
    <message>
      <source>lease until</source>
      <translation>领取至</translation>
    </message>
    <message>
      <source>from</source>
      <translation>原</translation>
    </message>
    <message>
      <source>to</source>
      <translation>改为</translation>
    </message>
    <message>
      <source>purpose</source>
      <translation>用途</translation>
    </message>
    <message>
      <source>via</source>
      <translation>渠道</translation>
    </message>
    <message>
      <source>result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>feed id</source>
      <translation>来源编号</translation>
    </message>
    <message>
      <source>created</source>
      <translation>新增</translation>
    </message>
    <message>
      <source>first id</source>
      <translation>起始编号</translation>
    </message>
    <message>
      <source>rejected</source>
      <translation>拒收</translation>
    </message>
    <message>
      <source>name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>role</source>
      <translation>角色</translation>
    </message>
    <message>
      <source>level</source>
      <translation>等级</translation>
    </message>
    <message>
      <source>call no.</source>
      <translation>次数</translation>
    </message>
    <message>
      <source>answered</source>
      <translation>接通</translation>
    </message>
    <message>
      <source>score</source>
      <translation>得分</translation>
    </message>
    <message>
      <source>scam type</source>
      <translation>诈骗类型</translation>
    </message>
    <message>
      <source>reveals</source>
      <translation>涉及</translation>
    </message>
    <message>
      <source>warnings</source>
      <translation>预警数</translation>
    </message>
    <message>
      <source>No.</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Actor</source>
      <translation>操作人</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Record</source>
      <translation>对象</translation>
    </message>
    <message>
      <source>Detail</source>
      <translation>详情</translation>
    </message>
    <message>
      <source>Hash</source>
      <translation>哈希</translation>
    </message>
    <message>
      <source>All actions</source>
      <translation>全部操作</translation>
    </message>
    <message>
      <source>Escalations (all)</source>
      <translation>升级（全部）</translation>
    </message>
    <message>
      <source>Quality reviews</source>
      <translation>通话复核</translation>
    </message>
    <message>
      <source>Chase calls</source>
      <translation>智能追呼</translation>
    </message>
    <message>
      <source>Policy changes</source>
      <translation>策略变更</translation>
    </message>
    <message>
      <source>Users and tokens</source>
      <translation>用户与令牌</translation>
    </message>
    <message>
      <source>Warnings received</source>
      <translation>接收预警</translation>
    </message>
    <message>
      <source>yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>no</source>
      <translation>否</translation>
    </message>
    <message>
      <source>bank cards</source>
      <translation>银行卡号</translation>
    </message>
    <message>
      <source>ID number</source>
      <translation>身份证号</translation>
    </message>
    <message>
      <source>full history</source>
      <translation>完整记录</translation>
    </message>
    <message>
      <source>Pick one, or type an action code such as warning.reveal; "escalation" finds every escalation step</source>
      <translation>可选择，也可输入操作代码（如 warning.reveal）；输入 escalation 可查全部升级操作</translation>
    </message>
    <message>
      <source>Any record</source>
      <translation>全部对象</translation>
    </message>
    <message>
      <source>Search</source>
      <translation>查询</translation>
    </message>
    <message>
      <source>Verify audit chain</source>
      <translation>校验审计链</translation>
    </message>
    <message>
      <source>Walk every audit row: an edited, removed or inserted row is named</source>
      <translation>逐行校验审计记录：被修改、删除或插入的行会被指出</translation>
    </message>
    <message>
      <source>Copy head</source>
      <translation>复制链头</translation>
    </message>
    <message>
      <source>Copy the chain's head (id:hash) for the shift handover</source>
      <translation>复制审计链头（编号:哈希），用于交接班</translation>
    </message>
    <message>
      <source>Loading...</source>
      <translation>正在载入…</translation>
    </message>
    <message>
      <source>Verifying the audit chain...</source>
      <translation>正在校验审计链…</translation>
    </message>
    <message>
      <source>Period</source>
      <translation>时段</translation>
    </message>
    <message>
      <source>Anyone</source>
      <translation>全部操作人</translation>
    </message>
    <message>
      <source>No audit row matches.</source>
      <translation>没有符合条件的审计记录。</translation>
    </message>
    <message>
      <source>%1 rows shown</source>
      <translation>已显示 %1 条</translation>
    </message>
    <message>
      <source>(scroll down for older rows)</source>
      <translation>（向下滚动载入更早记录）</translation>
    </message>
    <message>
      <source>every action</source>
      <translation>全部操作</translation>
    </message>
    <message>
      <source>Head %1 copied.</source>
      <translation>已复制链头 %1。</translation>
    </message>
    <message>
      <source>Could not verify: %1</source>
      <translation>无法校验：%1</translation>
    </message>
    <message>
      <source>Intact: %1 rows checked; head %2</source>
      <translation>完整：已校验 %1 条；链头 %2</translation>
    </message>
    <message>
      <source>TAMPERED at row %1: %2 (%3 rows before it are intact)</source>
      <translation>被改动：第 %1 条，%2（此前 %3 条完好）</translation>
    </message>
  </context>
  <context>
    <name>Callbacks</name>
    <message>
      <source>Call back at</source>
      <translation>回访时间</translation>
    </message>
    <message>
      <source>Warning</source>
      <translation>预警</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Scam type</source>
      <translation>诈骗类型</translation>
    </message>
    <message>
      <source>Callbacks agreed for you, the earliest due first; double-click to take one</source>
      <translation>约定由您回访的预警，最早到期的在前；双击即领取</translation>
    </message>
    <message>
      <source>Agreed for %1</source>
      <translation>约定于 %1 回访</translation>
    </message>
    <message>
      <source>My callbacks (%1)</source>
      <translation>我的约定回访（%1）</translation>
    </message>
    <message>
      <source>Not loaded: %1</source>
      <translation>未能加载：%1</translation>
    </message>
    <message>
      <source>Due since %1: call now</source>
      <translation>已于 %1 到期，请立即回访</translation>
    </message>
    <message>
      <source>This shift: %1 calls · %2 dissuaded · mean %3</source>
      <translation>本班：通话 %1 次 · 劝阻成功 %2 · 平均通话 %3</translation>
    </message>
  </context>
  <context>
    <name>CentreActions</name>
    <message>
      <source>Emergency warning</source>
      <translation>紧急预警</translation>
    </message>
    <message>
      <source>Time limit breached</source>
      <translation>预警超时</translation>
    </message>
    <message>
      <source>Stop-payment hold of escalation %1 (warning %2) ran out at %3 with nobody acting (lapsed): the cards may be free again. Propose a new card lock or record the explanation.</source>
      <translation>升级 %1（预警 %2）的止付已于 %3 到期且无人处理（已失效），银行卡可能已解冻。请重新申请止付或记录解释情况。</translation>
    </message>
    <message>
      <source>Stop-payment hold of escalation %1 (warning %2) runs out at %3: extend it once or record the explanation.</source>
      <translation>升级 %1（预警 %2）的止付将于 %3 到期：请延长一次或记录已向当事人解释。</translation>
    </message>
    <message>
      <source>Stop-payment hold running out</source>
      <translation>止付即将到期</translation>
    </message>
    <message>
      <source>Centre policy...</source>
      <translation>中心策略…</translation>
    </message>
    <message>
      <source>Bank and dialer gateways...</source>
      <translation>银行与外呼网关…</translation>
    </message>
    <message>
      <source>Telephony gateway...</source>
      <translation>电话网关…</translation>
    </message>
    <message>
      <source>Shift handover report...</source>
      <translation>交班报告…</translation>
    </message>
    <message>
      <source>Centre policy saved.</source>
      <translation>中心策略已保存。</translation>
    </message>
    <message>
      <source>Bank and dialer gateways</source>
      <translation>银行与外呼网关</translation>
    </message>
    <message>
      <source>%1 warnings are past their time limit with no call.</source>
      <translation>%1 条预警已超过处置时限仍未拨打。</translation>
    </message>
    <message>
      <source>Chase calls: %1</source>
      <translation>智能追呼：%1</translation>
    </message>
    <message>
      <source>Emergency warning: %1 (%2 new). Press F2 to take it.</source>
      <translation>紧急预警：%1（新到 %2 条）。按 F2 领取。</translation>
    </message>
    <message>
      <source>(%1 holds in all)</source>
      <translation>（共 %1 个止付）</translation>
    </message>
    <message>
      <source>none</source>
      <translation>未配置</translation>
    </message>
    <message>
      <source>Chase calls made: %1</source>
      <translation>已完成追呼：%1 次</translation>
    </message>
    <message>
      <source>The hub sends stop-payment requests and makes chase calls itself.
Bank gateway: %1
Dialer: %2
Its operator sets them on `dissuade serve`.</source>
      <translation>止付申请与智能追呼由中心服务器统一发出。
银行网关：%1
外呼网关：%2
由服务器管理员在 `dissuade serve` 上配置。</translation>
    </message>
    <message>
      <source>Time limit passed with no call: warning %1 (%2, %3). %4 overdue now.</source>
      <translation>超时未拨打：预警 %1（%2，%3）。当前共 %4 条超时。</translation>
    </message>
  </context>
  <context>
    <name>Dashboard</name>
    <message>
      <source>Call outcomes</source>
      <translation>处置结果</translation>
    </message>
    <message>
      <source>Warnings by scam type</source>
      <translation>诈骗类型分布</translation>
    </message>
    <message>
      <source>Dissuasion rate</source>
      <translation>劝阻率</translation>
    </message>
    <message>
      <source>Within time limit</source>
      <translation>按时处置率</translation>
    </message>
    <message>
      <source>Warnings received per hour, by level</source>
      <translation>各时段接收预警（按等级）</translation>
    </message>
    <message>
      <source>Dissuasion and within-time-limit rates per hour</source>
      <translation>各时段劝阻率与按时处置率</translation>
    </message>
    <message>
      <source>Warnings received per %1 hours, by level</source>
      <translation>每%1小时接收预警（按等级）</translation>
    </message>
    <message>
      <source>Dissuasion and within-time-limit rates per %1 hours</source>
      <translation>每%1小时劝阻率与按时处置率</translation>
    </message>
    <message>
      <source>Other (%1 types)</source>
      <translation>其他（%1类）</translation>
    </message>
    <message>
      <source>Officer</source>
      <translation>民警</translation>
    </message>
    <message>
      <source>Warnings</source>
      <translation>处置预警</translation>
    </message>
    <message>
      <source>Calls</source>
      <translation>通话</translation>
    </message>
    <message>
      <source>Mean call</source>
      <translation>平均时长</translation>
    </message>
    <message>
      <source>Dissuaded</source>
      <translation>劝阻成功</translation>
    </message>
    <message>
      <source>Late</source>
      <translation>超时</translation>
    </message>
    <message>
      <source>Outcomes</source>
      <translation>处置结果</translation>
    </message>
    <message>
      <source>Reviews
pass/fail</source>
      <translation>复核
合格/不合格</translation>
    </message>
    <message>
      <source>Ready / break / training</source>
      <translation>就绪 / 小休 / 培训</translation>
    </message>
    <message>
      <source>Time ready (calls included), on a break and in training this period</source>
      <translation>本期间就绪（含通话）、小休和培训的时长</translation>
    </message>
    <message>
      <source>First calls made after the time limit</source>
      <translation>超过处置时限才首次拨打的预警数</translation>
    </message>
    <message>
      <source>No.</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Warning</source>
      <translation>预警</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>方式</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Amount (yuan)</source>
      <translation>金额(元)</translation>
    </message>
    <message>
      <source>Bank cards</source>
      <translation>银行卡</translation>
    </message>
    <message>
      <source>Proposed by</source>
      <translation>申请人</translation>
    </message>
    <message>
      <source>Waiting</source>
      <translation>等待时长</translation>
    </message>
    <message>
      <source>Centre</source>
      <translation>中心</translation>
    </message>
    <message>
      <source>Received</source>
      <translation>接收</translation>
    </message>
    <message>
      <source>Open now</source>
      <translation>当前未结</translation>
    </message>
    <message>
      <source>Arrived</source>
      <translation>到达时间</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Scam type</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>等级</translation>
    </message>
    <message>
      <source>Earlier warnings</source>
      <translation>此前预警数</translation>
    </message>
    <message>
      <source>Status / outcome</source>
      <translation>状态/结果</translation>
    </message>
    <message>
      <source>Proposed at %1</source>
      <translation>申请时间：%1</translation>
    </message>
    <message>
      <source>(none)</source>
      <translation>（未分配）</translation>
    </message>
    <message>
      <source>%1 · automatic</source>
      <translation>%1 · 自动</translation>
    </message>
    <message>
      <source>%1 and %2 more</source>
      <translation>%1（另%2张）</translation>
    </message>
    <message>
      <source>Warnings whose latest outcome, recorded in the period, is dissuaded</source>
      <translation>最近一次处置结果为劝阻成功、且记录于本时段的预警</translation>
    </message>
    <message>
      <source>Already lost</source>
      <translation>已被骗</translation>
    </message>
    <message>
      <source>Warnings whose latest outcome, recorded in the period, is already lost</source>
      <translation>最近一次处置结果为已被骗、且记录于本时段的预警</translation>
    </message>
    <message>
      <source>Dissuaded / (dissuaded + already lost)</source>
      <translation>劝阻成功 ÷（劝阻成功 + 已被骗）</translation>
    </message>
    <message>
      <source>Loss avoided (¥)</source>
      <translation>挽回损失(元)</translation>
    </message>
    <message>
      <source>Amount at risk of the warnings dissuaded in the period, in yuan</source>
      <translation>本时段劝阻成功预警的涉案金额合计（元）</translation>
    </message>
    <message>
      <source>Warnings received</source>
      <translation>接收预警</translation>
    </message>
    <message>
      <source>Warnings that arrived in the period</source>
      <translation>本时段到达的预警</translation>
    </message>
    <message>
      <source>Handled</source>
      <translation>已处置</translation>
    </message>
    <message>
      <source>Warnings with at least one call in the period</source>
      <translation>本时段至少拨打过一次的预警</translation>
    </message>
    <message>
      <source>Of the warnings received whose time limit has passed or that were called, the share first called in time</source>
      <translation>本时段接收、已过时限或已拨打的预警中，在时限内首次拨打的比例</translation>
    </message>
    <message>
      <source>Warnings received in the period and first called after their time limit, or not called and overdue</source>
      <translation>本时段接收、超过时限才首次拨打或超时仍未拨打的预警</translation>
    </message>
    <message>
      <source>To approve</source>
      <translation>待审批升级</translation>
    </message>
    <message>
      <source>Escalation proposals waiting for a lead's decision now, whenever proposed</source>
      <translation>当前等待值班长审批的升级申请（不论何时提出）</translation>
    </message>
    <message>
      <source>Backlog / overdue</source>
      <translation>当前积压/超时未处置</translation>
    </message>
    <message>
      <source>Warnings open now / of them, never called and past their time limit</source>
      <translation>当前未办结的预警 / 其中超过时限仍未拨打的预警</translation>
    </message>
    <message>
      <source>Shift dashboard</source>
      <translation>值班看板</translation>
    </message>
    <message>
      <source>Which period the figures, charts and tables count</source>
      <translation>指标、图表和表格统计的时段</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Load the figures again now</source>
      <translation>立即重新加载</translation>
    </message>
    <message>
      <source>Decision note (required to reject)</source>
      <translation>审批意见（驳回时必填）</translation>
    </message>
    <message>
      <source>Approve</source>
      <translation>批准</translation>
    </message>
    <message>
      <source>Approve the selected escalation</source>
      <translation>批准选中的升级申请</translation>
    </message>
    <message>
      <source>Reject</source>
      <translation>驳回</translation>
    </message>
    <message>
      <source>Reject the selected escalation; say why in the note</source>
      <translation>驳回选中的升级申请，请在审批意见中说明理由</translation>
    </message>
    <message>
      <source>No escalation is waiting for a decision.</source>
      <translation>当前没有待审批的升级申请。</translation>
    </message>
    <message>
      <source>No calls recorded in this period yet.</source>
      <translation>本时段还没有通话记录。</translation>
    </message>
    <message>
      <source>No repeat victims in this period.</source>
      <translation>本时段没有重复受害人。</translation>
    </message>
    <message>
      <source>No centre has warnings in this period.</source>
      <translation>本时段各中心均无预警。</translation>
    </message>
    <message>
      <source>This shift</source>
      <translation>本班</translation>
    </message>
    <message>
      <source>Previous shift</source>
      <translation>上一班</translation>
    </message>
    <message>
      <source>Last 24 hours</source>
      <translation>近24小时</translation>
    </message>
    <message>
      <source>Not loaded yet</source>
      <translation>尚未加载</translation>
    </message>
    <message>
      <source>Select an escalation first.</source>
      <translation>请先选择一条升级申请。</translation>
    </message>
    <message>
      <source>A rejection needs a note: say why.</source>
      <translation>驳回须填写审批意见，说明理由。</translation>
    </message>
    <message>
      <source>Could not load the dashboard: %1</source>
      <translation>看板加载失败：%1</translation>
    </message>
    <message>
      <source>Escalations waiting for a decision (%1)</source>
      <translation>待审批升级（%1）</translation>
    </message>
    <message>
      <source>Officers (%1)</source>
      <translation>民警工作量（%1）</translation>
    </message>
    <message>
      <source>Repeat victims (%1)</source>
      <translation>重复受害人（%1）</translation>
    </message>
    <message>
      <source>Centres (%1)</source>
      <translation>各中心（%1）</translation>
    </message>
    <message>
      <source>Updated %1</source>
      <translation>更新于 %1</translation>
    </message>
    <message>
      <source>Approving escalation %1...</source>
      <translation>正在批准升级申请 %1……</translation>
    </message>
    <message>
      <source>Rejecting escalation %1...</source>
      <translation>正在驳回升级申请 %1……</translation>
    </message>
    <message>
      <source>%1 to %2</source>
      <translation>%1 至 %2</translation>
    </message>
    <message>
      <source>Escalation %1 approved.</source>
      <translation>升级申请 %1 已批准。</translation>
    </message>
    <message>
      <source>Escalation %1 rejected.</source>
      <translation>升级申请 %1 已驳回。</translation>
    </message>
    <message>
      <source>Escalation %1 not decided: %2</source>
      <translation>升级申请 %1 未能审批：%2</translation>
    </message>
    <message>
      <source>Escalation %1 was already decided: %2</source>
      <translation>升级申请 %1 已由他人审批：%2</translation>
    </message>
  </context>
  <context>
    <name>Dial</name>
    <message>
      <source>Dial (F3)</source>
      <translation>拨号 (F3)</translation>
    </message>
    <message>
      <source>No warning open.</source>
      <translation>没有打开的预警。</translation>
    </message>
    <message>
      <source>Synthetic (demo or rehearsal) warnings are never dialled.</source>
      <translation>演示/演练数据不拨号。</translation>
    </message>
    <message>
      <source>No telephony gateway: choose one under File → Telephony gateway, or set DISSUADE_DIAL_COMMAND, DISSUADE_DIAL_URI or DISSUADE_DIAL_SIP.</source>
      <translation>未设置电话网关：请在 文件 → 电话网关 中选择，或设置 DISSUADE_DIAL_COMMAND、DISSUADE_DIAL_URI 或 DISSUADE_DIAL_SIP。</translation>
    </message>
    <message>
      <source>A call is in progress.</source>
      <translation>正在通话中。</translation>
    </message>
    <message>
      <source>the dial command</source>
      <translation>拨号命令</translation>
    </message>
    <message>
      <source>the desktop's phone handler</source>
      <translation>桌面的电话程序</translation>
    </message>
    <message>
      <source>the softphone at %1</source>
      <translation>软电话 %1</translation>
    </message>
    <message>
      <source>Not answered</source>
      <translation>未接通</translation>
    </message>
    <message>
      <source>Dialling %1...</source>
      <translation>正在拨打 %1…</translation>
    </message>
    <message>
      <source>Handed %1 to the phone program.</source>
      <translation>已将 %1 交给电话程序拨出。</translation>
    </message>
    <message>
      <source>Not dialled: %1</source>
      <translation>未拨号：%1</translation>
    </message>
    <message>
      <source>Not dialled: nothing on this computer opens %1 links.</source>
      <translation>未拨号：本机没有能打开 %1 链接的程序。</translation>
    </message>
    <message>
      <source>Call ended, %1 talking</source>
      <translation>通话结束，通话 %1</translation>
    </message>
    <message>
      <source>Talking %1</source>
      <translation>通话中 %1</translation>
    </message>
    <message>
      <source>Dialling...</source>
      <translation>拨号中…</translation>
    </message>
    <message>
      <source>Dial %1 through %2</source>
      <translation>通过%2拨打 %1</translation>
    </message>
    <message>
      <source>Ringing %1</source>
      <translation>振铃中 %1</translation>
    </message>
    <message>
      <source>Dialled at %1</source>
      <translation>已于 %1 拨出</translation>
    </message>
  </context>
  <context>
    <name>Dialogs</name>
    <message>
      <source>Offline conflicts</source>
      <translation>离线冲突</translation>
    </message>
    <message>
      <source>Mark selected as resolved</source>
      <translation>将所选标记为已处理</translation>
    </message>
    <message>
      <source>SMS gateway</source>
      <translation>短信网关</translation>
    </message>
    <message>
      <source>Gateway</source>
      <translation>网关</translation>
    </message>
    <message>
      <source>Command</source>
      <translation>命令</translation>
    </message>
    <message>
      <source>Webhook URL</source>
      <translation>Webhook 地址</translation>
    </message>
    <message>
      <source>{phone}, {text} and {warning_id} in the command are filled in. Synthetic (demo) warnings are never sent.</source>
      <translation>命令中的 {phone}、{text}、{warning_id} 会被替换为号码、内容和预警编号。演示/演练数据永不发送。</translation>
    </message>
    <message>
      <source>Warning</source>
      <translation>预警</translation>
    </message>
    <message>
      <source>Recorded</source>
      <translation>记录时间</translation>
    </message>
    <message>
      <source>What</source>
      <translation>内容</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Why refused</source>
      <translation>被拒原因</translation>
    </message>
    <message>
      <source>The hub refused these when they were sent after an outage. Copy what matters onto the warning, then mark them resolved.</source>
      <translation>网络恢复后补发时，中心服务器拒收了以下记录。请把需要的内容补记到预警上，然后标记为已处理。</translation>
    </message>
    <message>
      <source>Copy to the clipboard (send by hand)</source>
      <translation>复制到剪贴板（人工发送）</translation>
    </message>
    <message>
      <source>Run a command</source>
      <translation>运行命令</translation>
    </message>
    <message>
      <source>Post to a webhook</source>
      <translation>发送到 Webhook</translation>
    </message>
    <message>
      <source>Propose escalation</source>
      <translation>申请升级处置</translation>
    </message>
    <message>
      <source>Why: still transferring, unreachable...</source>
      <translation>原因：仍在转账、无法联系……</translation>
    </message>
    <message>
      <source>Card numbers, separated by commas</source>
      <translation>银行卡号，用逗号分隔</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>方式</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Bank cards</source>
      <translation>银行卡</translation>
    </message>
    <message>
      <source>Amount (yuan)</source>
      <translation>金额（元）</translation>
    </message>
    <message>
      <source>Agreed callback</source>
      <translation>约定回访</translation>
    </message>
    <message>
      <source>Only me</source>
      <translation>仅限本人</translation>
    </message>
    <message>
      <source>Anyone</source>
      <translation>任何民警</translation>
    </message>
    <message>
      <source>Call back at</source>
      <translation>回访时间</translation>
    </message>
    <message>
      <source>Who</source>
      <translation>由谁回访</translation>
    </message>
    <message>
      <source>Say why the escalation is needed.</source>
      <translation>请说明需要升级处置的原因。</translation>
    </message>
    <message>
      <source>A card lock needs at least one card number; without one, choose a door visit.</source>
      <translation>止付锁卡至少需要一个卡号；没有卡号请选择上门劝阻。</translation>
    </message>
    <message>
      <source>The centre's time (%1)</source>
      <translation>中心时间（%1）</translation>
    </message>
    <message>
      <source>The amount must be a number of yuan, for example 5000 or 5000.50.</source>
      <translation>金额应为以元计的数字，例如 5000 或 5000.50。</translation>
    </message>
  </context>
  <context>
    <name>DoctorDialog</name>
    <message>
      <source>Diagnostics</source>
      <translation>诊断</translation>
    </message>
    <message>
      <source>Check again</source>
      <translation>重新检查</translation>
    </message>
    <message>
      <source>Checking the font, the speech engine, the database or hub and the gateways...</source>
      <translation>正在检查字体、语音引擎、数据库或中心服务器以及各网关……</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Checked</source>
      <translation>检查项目</translation>
    </message>
    <message>
      <source>Found</source>
      <translation>检查结果</translation>
    </message>
    <message>
      <source>Fix</source>
      <translation>解决办法</translation>
    </message>
    <message>
      <source>All well.</source>
      <translation>全部正常。</translation>
    </message>
    <message>
      <source>OK</source>
      <translation>正常</translation>
    </message>
    <message>
      <source>Problem</source>
      <translation>问题</translation>
    </message>
    <message>
      <source>The checks could not run: %1</source>
      <translation>检查无法进行：%1</translation>
    </message>
    <message>
      <source>%1 problem(s) found: each with its fix below.</source>
      <translation>发现 %1 个问题，解决办法见下表。</translation>
    </message>
  </context>
  <context>
    <name>EscalationDialogs</name>
    <message>
      <source>Refuses to listen: propose a card lock</source>
      <translation>拒不听劝：申请止付锁卡</translation>
    </message>
    <message>
      <source>Recording “refuses / brainwashed” proposes an emergency stop-payment and card lock on these cards at once; a lead decides. Untick a card that is not the person's, add any the person named.</source>
      <translation>记录“拒不听劝/疑似被洗脑”将立即对以下银行卡申请紧急止付和智能锁卡，由值班长审批。不属于当事人的卡请取消勾选，当事人提到的其他卡请补充。</translation>
    </message>
    <message>
      <source>More card numbers, separated by commas</source>
      <translation>其他卡号，用逗号分隔</translation>
    </message>
    <message>
      <source>Refuses to listen, still transferring</source>
      <translation>拒不听劝，仍在转账</translation>
    </message>
    <message>
      <source>Cards</source>
      <translation>银行卡</translation>
    </message>
    <message>
      <source>Add cards</source>
      <translation>补充卡号</translation>
    </message>
    <message>
      <source>Amount (yuan)</source>
      <translation>金额（元）</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Raise the level</source>
      <translation>提高预警等级</translation>
    </message>
    <message>
      <source>Why: the first transfer has gone out, a screen-sharing app is open...</source>
      <translation>原因：已转出第一笔、正在共享屏幕……</translation>
    </message>
    <message>
      <source>Now</source>
      <translation>当前等级</translation>
    </message>
    <message>
      <source>Raise to</source>
      <translation>提高到</translation>
    </message>
    <message>
      <source>bank card numbers</source>
      <translation>银行卡号</translation>
    </message>
    <message>
      <source>ID number</source>
      <translation>身份证号</translation>
    </message>
    <message>
      <source>No bank card is known for this person: add the cards they use, or officers are sent to the door instead.</source>
      <translation>未掌握此人的银行卡：请补充其使用的卡号，否则将改为申请上门劝阻。</translation>
    </message>
    <message>
      <source>Confirm with the bank for a stop-payment</source>
      <translation>向银行核实卡号以办理止付</translation>
    </message>
    <message>
      <source>Confirm the person's identity</source>
      <translation>核实当事人身份</translation>
    </message>
    <message>
      <source>Show the %1 in full</source>
      <translation>显示完整%1</translation>
    </message>
    <message>
      <source>Showing the %1 in full is recorded with your name, the time and the reason.</source>
      <translation>显示完整%1将连同您的姓名、时间和原因记入审计日志。</translation>
    </message>
  </context>
  <context>
    <name>EscalationModel</name>
    <message>
      <source>No.</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Warning</source>
      <translation>预警</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>方式</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Waiting / hold</source>
      <translation>已等待/止付剩余</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>金额</translation>
    </message>
    <message>
      <source>Bank cards</source>
      <translation>银行卡</translation>
    </message>
    <message>
      <source>Proposed by</source>
      <translation>申请人</translation>
    </message>
    <message>
      <source>Decided by</source>
      <translation>审批人</translation>
    </message>
    <message>
      <source>Station / reason</source>
      <translation>派出所/原因</translation>
    </message>
    <message>
      <source>Proposed automatically: </source>
      <translation>自动申请：</translation>
    </message>
    <message>
      <source>%1 ago</source>
      <translation>%1 前</translation>
    </message>
    <message>
      <source>Hold %1 left</source>
      <translation>止付剩余 %1</translation>
    </message>
    <message>
      <source>Lapsed: hold ran out %1 ago</source>
      <translation>已失效：止付 %1 前到期</translation>
    </message>
  </context>
  <context>
    <name>Escalations</name>
    <message>
      <source>Mark as sent to the bank</source>
      <translation>标记已发送银行</translation>
    </message>
    <message>
      <source>Bank has locked the cards</source>
      <translation>银行已止付/锁卡</translation>
    </message>
    <message>
      <source>Explained to the person</source>
      <translation>已向当事人解释</translation>
    </message>
    <message>
      <source>Cards unlocked</source>
      <translation>已解卡</translation>
    </message>
    <message>
      <source>Officers dispatched</source>
      <translation>已派警</translation>
    </message>
    <message>
      <source>Visit done: record the result</source>
      <translation>已上门（请记录结果）</translation>
    </message>
    <message>
      <source>End the chase calls</source>
      <translation>结束智能追呼</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Steps (who and when)</source>
      <translation>处置步骤（何人、何时）</translation>
    </message>
    <message>
      <source>Note: the lead's decision, the bank's answer, the visit's result...</source>
      <translation>备注：审批意见、银行回复、上门结果……</translation>
    </message>
    <message>
      <source>Approve</source>
      <translation>批准</translation>
    </message>
    <message>
      <source>Reject (note required)</source>
      <translation>驳回（须填写备注）</translation>
    </message>
    <message>
      <source>Send the request to the bank</source>
      <translation>向银行发送止付申请</translation>
    </message>
    <message>
      <source>The PDF and its record go through the bank gateway; the step 'sent' is recorded with the gateway's answer</source>
      <translation>申请PDF及其数据经银行网关发出，“已发送”步骤连同网关回复一并记录</translation>
    </message>
    <message>
      <source>Request PDF</source>
      <translation>止付申请PDF</translation>
    </message>
    <message>
      <source>Open the request as the bank gets it (cards in full: recorded in the audit)</source>
      <translation>打开银行收到的申请（含完整卡号：记入审计日志）</translation>
    </message>
    <message>
      <source>Extend the hold once</source>
      <translation>延长止付（限一次）</translation>
    </message>
    <message>
      <source>Synthetic (demo) data: no bank, dialer or SMS will be contacted.</source>
      <translation>演示（合成）数据：不会联系银行、外呼或短信平台。</translation>
    </message>
    <message>
      <source>Sending the stop-payment request...</source>
      <translation>正在发送止付申请……</translation>
    </message>
    <message>
      <source>Stop-payment request %1 sent to the bank.</source>
      <translation>止付申请 %1 已发送银行。</translation>
    </message>
    <message>
      <source>The hold of escalation %1 is extended once.</source>
      <translation>升级 %1 的止付已延长一次。</translation>
    </message>
    <message>
      <source>Choose an escalation on the left.</source>
      <translation>请在左侧选择一条升级处置。</translation>
    </message>
    <message>
      <source>Next step</source>
      <translation>下一步</translation>
    </message>
    <message>
      <source>Escalation</source>
      <translation>升级</translation>
    </message>
    <message>
      <source>Warning</source>
      <translation>预警</translation>
    </message>
    <message>
      <source>Person</source>
      <translation>当事人</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>金额</translation>
    </message>
    <message>
      <source>Bank cards</source>
      <translation>银行卡</translation>
    </message>
    <message>
      <source>Proposed</source>
      <translation>申请</translation>
    </message>
    <message>
      <source>due</source>
      <translation>待拨</translation>
    </message>
    <message>
      <source>Say why in the note before rejecting.</source>
      <translation>驳回前请在备注中写明原因。</translation>
    </message>
    <message>
      <source>Approved escalation %1.</source>
      <translation>已批准升级 %1。</translation>
    </message>
    <message>
      <source>Rejected escalation %1: the warning is back in the queue.</source>
      <translation>已驳回升级 %1：预警已回到队列。</translation>
    </message>
    <message>
      <source>Write in the note what happened before recording this step.</source>
      <translation>记录此步骤前请在备注中写明情况。</translation>
    </message>
    <message>
      <source>Decided</source>
      <translation>审批</translation>
    </message>
    <message>
      <source>Station</source>
      <translation>派出所</translation>
    </message>
    <message>
      <source>, extended once</source>
      <translation>，已延长一次</translation>
    </message>
    <message>
      <source>Hold until</source>
      <translation>止付至</translation>
    </message>
    <message>
      <source>reached</source>
      <translation>已接通</translation>
    </message>
    <message>
      <source>not reached</source>
      <translation>未接通</translation>
    </message>
    <message>
      <source>Escalation %1: %2 recorded.</source>
      <translation>升级 %1：已记录“%2”。</translation>
    </message>
    <message>
      <source>Request PDF: %1</source>
      <translation>止付申请PDF：%1</translation>
    </message>
    <message>
      <source>Escalations under way: %1 (waiting for a lead: %2)</source>
      <translation>进行中的升级：%1 条（待值班长审批：%2 条）</translation>
    </message>
    <message>
      <source>Chase call %1 at %2: %3 %4</source>
      <translation>第 %1 次追呼 %2：%3 %4</translation>
    </message>
  </context>
  <context>
    <name>Forecast</name>
    <message>
      <source>At most %1 officers at once (%2 officer-hours) with people only; %3 (%4 officer-hours) with the robot's first pass. Target: %5 of each level first contacted within its limit.</source>
      <translation>仅靠民警：同时最多需 %1 名民警（共 %2 人·小时）；机器人首呼后：%3 名（%4 人·小时）。目标：各等级 %5 的预警在时限内首次联系。</translation>
    </message>
    <message>
      <source>Based on %1 days of history (%2 warnings, %3 calls by people, %4 robot calls). Call handle time %5 s (%6), %7 calls a warning (%8), robot confirm rate %9 (%10).</source>
      <translation>依据 %1 天的历史（%2 条预警，民警通话 %3 次，机器人外呼 %4 次）。每次通话 %5 秒（%6），每条预警 %7 次通话（%8），机器人确认率 %9（%10）。</translation>
    </message>
    <message>
      <source>How many officers next shift?</source>
      <translation>下一班需要多少民警？</translation>
    </message>
    <message>
      <source>Forecast again</source>
      <translation>重新预测</translation>
    </message>
    <message>
      <source>Officers, people only</source>
      <translation>民警人数（仅民警）</translation>
    </message>
    <message>
      <source>Officers, with the robot's first pass</source>
      <translation>民警人数（机器人首呼后）</translation>
    </message>
    <message>
      <source>Officers needed each hour</source>
      <translation>每小时所需民警</translation>
    </message>
    <message>
      <source>Forecasting...</source>
      <translation>正在预测……</translation>
    </message>
    <message>
      <source>measured</source>
      <translation>实测</translation>
    </message>
    <message>
      <source>assumed</source>
      <translation>估计</translation>
    </message>
    <message>
      <source>Warnings</source>
      <translation>预警数</translation>
    </message>
    <message>
      <source>People's calls</source>
      <translation>民警通话</translation>
    </message>
    <message>
      <source>Officers</source>
      <translation>民警人数</translation>
    </message>
    <message>
      <source>People's calls, with robot</source>
      <translation>民警通话（机器人首呼后）</translation>
    </message>
    <message>
      <source>Officers, with robot</source>
      <translation>民警人数（机器人首呼后）</translation>
    </message>
    <message>
      <source>Robot calls</source>
      <translation>机器人外呼</translation>
    </message>
    <message>
      <source>Could not forecast: %1</source>
      <translation>无法预测：%1</translation>
    </message>
    <message>
      <source>The robot is off: its figures show what turning it on for %1 would do.</source>
      <translation>机器人未开启：图中为对%1开启机器人首呼后的效果。</translation>
    </message>
    <message>
      <source>Shift %1 – %2</source>
      <translation>班次 %1 – %2</translation>
    </message>
  </context>
  <context>
    <name>GatewaysDialog</name>
    <message>
      <source>Bank and dialer gateways</source>
      <translation>银行与外呼网关</translation>
    </message>
    <message>
      <source>PDF and JSON into a folder the bank picks up</source>
      <translation>PDF与JSON写入银行取件文件夹</translation>
    </message>
    <message>
      <source>Post to the bank's webhook</source>
      <translation>推送至银行接口（Webhook）</translation>
    </message>
    <message>
      <source>None: chase calls wait for a dialer</source>
      <translation>未配置：追呼等待外呼网关</translation>
    </message>
    <message>
      <source>Run a command</source>
      <translation>运行命令</translation>
    </message>
    <message>
      <source>Post to a webhook</source>
      <translation>推送至接口（Webhook）</translation>
    </message>
    <message>
      <source>Stop-payment requests (card lock)</source>
      <translation>止付申请（止付锁卡）</translation>
    </message>
    <message>
      <source>Gateway</source>
      <translation>网关</translation>
    </message>
    <message>
      <source>Folder</source>
      <translation>文件夹</translation>
    </message>
    <message>
      <source>Webhook URL</source>
      <translation>接口地址</translation>
    </message>
    <message>
      <source>Chase calls (automated reminder calls)</source>
      <translation>智能追呼（自动提醒电话）</translation>
    </message>
    <message>
      <source>Dialer</source>
      <translation>外呼网关</translation>
    </message>
    <message>
      <source>Command</source>
      <translation>命令</translation>
    </message>
    <message>
      <source>{phone}, {wav} and {warning_id} in the command are filled in; no shell runs it. Synthetic (demo) warnings are never sent or dialled.</source>
      <translation>命令中的 {phone}、{wav}、{warning_id} 会被替换；不经过 shell 执行。演示（合成）预警从不发送或外呼。</translation>
    </message>
  </context>
  <context>
    <name>History</name>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>Reported</source>
      <translation>上报时间</translation>
    </message>
    <message>
      <source>Arrived</source>
      <translation>到达时间</translation>
    </message>
    <message>
      <source>Time limit</source>
      <translation>首次联系时限</translation>
    </message>
    <message>
      <source>District</source>
      <translation>区县</translation>
    </message>
    <message>
      <source>Fraud contact</source>
      <translation>涉诈号码/网址</translation>
    </message>
    <message>
      <source>Amount at risk</source>
      <translation>涉案金额</translation>
    </message>
    <message>
      <source>Bank cards</source>
      <translation>银行卡</translation>
    </message>
    <message>
      <source>ID number</source>
      <translation>身份证号</translation>
    </message>
    <message>
      <source>Feed notes</source>
      <translation>预警备注</translation>
    </message>
    <message>
      <source>Reason to reveal</source>
      <translation>查看原因</translation>
    </message>
    <message>
      <source>Reveal</source>
      <translation>查看</translation>
    </message>
    <message>
      <source>Show the whole card numbers (recorded with your reason)</source>
      <translation>显示完整卡号（连同原因记入审计）</translation>
    </message>
    <message>
      <source>Show the whole ID number (recorded with your reason)</source>
      <translation>显示完整身份证号（连同原因记入审计）</translation>
    </message>
    <message>
      <source>Required, e.g. stop-payment request</source>
      <translation>必填，如：办理紧急止付</translation>
    </message>
    <message>
      <source>Review comment (required for a fail)</source>
      <translation>复核意见（不合格必填）</translation>
    </message>
    <message>
      <source>Pass</source>
      <translation>合格</translation>
    </message>
    <message>
      <source>Mark the selected call as handled well</source>
      <translation>将所选通话评为合格</translation>
    </message>
    <message>
      <source>Fail</source>
      <translation>不合格</translation>
    </message>
    <message>
      <source>Mark the selected call as not up to standard; say why</source>
      <translation>将所选通话评为不合格，并写明原因</translation>
    </message>
    <message>
      <source>Calls</source>
      <translation>通话记录</translation>
    </message>
    <message>
      <source>Escalations</source>
      <translation>升级处置</translation>
    </message>
    <message>
      <source>SMS</source>
      <translation>短信</translation>
    </message>
    <message>
      <source>Same number</source>
      <translation>同号码预警</translation>
    </message>
    <message>
      <source>Audit trail</source>
      <translation>审计记录</translation>
    </message>
    <message>
      <source>Recording the review...</source>
      <translation>正在记录复核…</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Officer</source>
      <translation>处置人</translation>
    </message>
    <message>
      <source>Outcome</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Duration</source>
      <translation>通话时长</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Review</source>
      <translation>复核</translation>
    </message>
    <message>
      <source>What</source>
      <translation>事项</translation>
    </message>
    <message>
      <source>By</source>
      <translation>操作人</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>说明</translation>
    </message>
    <message>
      <source>Sent</source>
      <translation>发送时间</translation>
    </message>
    <message>
      <source>Via</source>
      <translation>方式</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>内容</translation>
    </message>
    <message>
      <source>No.</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Scam type</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>等级</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Last outcome</source>
      <translation>最后结果</translation>
    </message>
    <message>
      <source>Actor</source>
      <translation>操作人</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>Detail</source>
      <translation>详情</translation>
    </message>
    <message>
      <source>Revealed; the reveal is in the audit trail</source>
      <translation>已查看完整信息，已记入审计</translation>
    </message>
    <message>
      <source>Double-click to open that warning</source>
      <translation>双击打开该预警</translation>
    </message>
    <message>
      <source>Select a call to review it.</source>
      <translation>请选择要复核的通话。</translation>
    </message>
    <message>
      <source>A fail needs a comment saying what was wrong.</source>
      <translation>评为不合格须写明原因。</translation>
    </message>
    <message>
      <source>Give a reason to reveal it: the reason is recorded.</source>
      <translation>请填写查看原因，原因将记入审计。</translation>
    </message>
    <message>
      <source>Revealed; your reason is in the audit trail.</source>
      <translation>已显示完整信息，查看原因已记入审计。</translation>
    </message>
    <message>
      <source>Warning %1: full history</source>
      <translation>预警 %1：完整记录</translation>
    </message>
    <message>
      <source>Loading warning %1...</source>
      <translation>正在载入预警 %1…</translation>
    </message>
    <message>
      <source>Warning %1</source>
      <translation>预警 %1</translation>
    </message>
    <message>
      <source>due</source>
      <translation>待呼叫</translation>
    </message>
    <message>
      <source>Call %1 is your own: another lead reviews it.</source>
      <translation>第 %1 通是您本人的通话，须由其他值班长复核。</translation>
    </message>
    <message>
      <source>Warning %1 is open again and back in the queue.</source>
      <translation>预警 %1 已重新打开，回到队列。</translation>
    </message>
    <message>
      <source>Repeat victim</source>
      <translation>重复受害人</translation>
    </message>
    <message>
      <source>held by %1</source>
      <translation>%1 处置中</translation>
    </message>
    <message>
      <source>synthetic (demo)</source>
      <translation>演示数据</translation>
    </message>
    <message>
      <source>answered</source>
      <translation>已接通</translation>
    </message>
    <message>
      <source>not answered</source>
      <translation>未接通</translation>
    </message>
    <message>
      <source>call back %1</source>
      <translation>约定 %1 回访</translation>
    </message>
    <message>
      <source>hold until %1</source>
      <translation>止付至 %1</translation>
    </message>
    <message>
      <source>Review recorded: %1.</source>
      <translation>复核已记录：%1。</translation>
    </message>
    <message>
      <source>Review not recorded: %1</source>
      <translation>复核未记录：%1</translation>
    </message>
    <message>
      <source>Not revealed: %1</source>
      <translation>未能查看：%1</translation>
    </message>
    <message>
      <source>%1; first call %2, in time</source>
      <translation>%1；首次通话 %2，未超时</translation>
    </message>
    <message>
      <source>Chase call %1</source>
      <translation>第 %1 次追呼</translation>
    </message>
    <message>
      <source>Review call %1 (%2, %3):</source>
      <translation>复核第 %1 通（%2，%3）：</translation>
    </message>
    <message>
      <source>%1; first call %2, %3 late</source>
      <translation>%1；首次通话 %2，超时 %3</translation>
    </message>
  </context>
  <context>
    <name>LockDialog</name>
    <message>
      <source>Your sign-in has ended. Enter your password to go on: the warning you hold, your notes and what waits to be sent are kept.</source>
      <translation>登录已结束。请输入密码继续：您领取的预警、备注和待发送的内容都已保留。</translation>
    </message>
    <message>
      <source>Locked after a time without input. Enter your password to go on: the warning you hold and your notes are kept.</source>
      <translation>长时间无操作，已锁屏。请输入密码继续：您领取的预警和备注都已保留。</translation>
    </message>
    <message>
      <source>Unlock</source>
      <translation>解锁</translation>
    </message>
    <message>
      <source>Sign out</source>
      <translation>签退</translation>
    </message>
    <message>
      <source>Locked</source>
      <translation>已锁屏</translation>
    </message>
    <message>
      <source>Locked: %1</source>
      <translation>已锁屏：%1</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>快捷键</translation>
    </message>
    <message>
      <source>About dissuade</source>
      <translation>关于 dissuade</translation>
    </message>
    <message>
      <source>Diagnostics...</source>
      <translation>诊断…</translation>
    </message>
    <message>
      <source>Ctrl+Q: quit</source>
      <translation>Ctrl+Q：退出</translation>
    </message>
    <message>
      <source>Anti-fraud dissuasion workbench</source>
      <translation>反诈劝阻工作台</translation>
    </message>
    <message>
      <source>Workbench</source>
      <translation>劝阻工作台</translation>
    </message>
    <message>
      <source>Escalations</source>
      <translation>升级处置</translation>
    </message>
    <message>
      <source>Dashboard</source>
      <translation>值班看板</translation>
    </message>
    <message>
      <source>Room</source>
      <translation>在岗情况</translation>
    </message>
    <message>
      <source>Staffing</source>
      <translation>排班预测</translation>
    </message>
    <message>
      <source>Review</source>
      <translation>复核</translation>
    </message>
    <message>
      <source>Audit log</source>
      <translation>审计日志</translation>
    </message>
    <message>
      <source>Rehearsal</source>
      <translation>剧本演练</translation>
    </message>
    <message>
      <source>Offline conflicts...</source>
      <translation>离线冲突…</translation>
    </message>
    <message>
      <source>Reload playbooks</source>
      <translation>重新载入剧本</translation>
    </message>
    <message>
      <source>SMS gateway...</source>
      <translation>短信网关…</translation>
    </message>
    <message>
      <source>Refresh queue</source>
      <translation>刷新队列</translation>
    </message>
    <message>
      <source>F2 or Ctrl+Enter: next warning (holding one: back to the outcome keys)
1-0: outcome of the open warning (Ctrl+1-0 while typing notes)
Ctrl+Z: undo the last outcome (within 10 seconds)
Esc: leave a text box, back to the outcome keys
F8: escalate
F9: raise the level
Ctrl+F: where is a warning (its number, or the person's phone)
Ctrl+K: find an objection in the script
F5: refresh the queue
Double-click a queue row: claim that warning</source>
      <translation>F2 或 Ctrl+Enter：下一条预警（已有预警时：回到结果键）
1-0：当前预警的处置结果（输入备注时用 Ctrl+1-0）
Ctrl+Z：撤销刚记录的结果（10 秒内）
Esc：离开输入框，回到结果键
F8：申请升级
F9：提高等级
Ctrl+F：查询预警去向（预警编号或当事人电话）
Ctrl+K：在话术中查找托词
F5：刷新队列
双击队列中的一行：领取该预警</translation>
    </message>
    <message>
      <source>F3: dial the open warning's person (File → Telephony gateway)</source>
      <translation>F3：拨打当前预警当事人（文件 → 电话网关）</translation>
    </message>
    <message>
      <source>Rehearsal: Ctrl+1-3 choose an answer, Ctrl+Enter submit yours</source>
      <translation>演练：Ctrl+1-3 选择回答，Ctrl+Enter 提交自己的回答</translation>
    </message>
    <message>
      <source>Ctrl+R: reload playbooks</source>
      <translation>Ctrl+R：重新加载剧本</translation>
    </message>
    <message>
      <source>Local database: %1</source>
      <translation>本地数据库：%1</translation>
    </message>
    <message>
      <source>The hub no longer accepts this session or token: sign in again. %1 outcomes and proposals are kept and sent after signing in.</source>
      <translation>中心服务器不再接受当前登录或令牌，请重新登录。已保留 %1 条处置结果和申请，重新登录后自动发送。</translation>
    </message>
    <message>
      <source>Playbook not loaded: %1</source>
      <translation>剧本未能载入：%1</translation>
    </message>
    <message>
      <source>This account (%1) has no screens in the client.</source>
      <translation>此账号（%1）在客户端中没有可用的界面。</translation>
    </message>
    <message>
      <source>Signed out: the hub no longer accepts this session or token. Sign in again; %1 kept to send</source>
      <translation>登录已失效：中心服务器不再接受当前登录或令牌，请重新登录；%1 条已保留待发送</translation>
    </message>
    <message>
      <source>%1 refused by the hub: File &gt; Offline conflicts</source>
      <translation>%1 条被拒收：文件 &gt; 离线冲突</translation>
    </message>
    <message>
      <source>Playbooks reloaded: %1</source>
      <translation>已重新载入剧本：%1 个</translation>
    </message>
    <message>
      <source>User: %1 (%2)</source>
      <translation>用户：%1（%2）</translation>
    </message>
    <message>
      <source>Offline: cannot reach the hub %1. Outcomes are kept and sent when it is back</source>
      <translation>离线：无法连接中心服务器 %1。处置结果会暂存，网络恢复后自动发送</translation>
    </message>
    <message>
      <source>Hub: %1</source>
      <translation>中心服务器：%1</translation>
    </message>
    <message>
      <source>Offline: %1 waiting to send to %2</source>
      <translation>离线：%1 条待发送至 %2</translation>
    </message>
    <message>
      <source>Hub: %1 (sending %2)</source>
      <translation>中心服务器：%1（正在发送 %2 条）</translation>
    </message>
  </context>
  <context>
    <name>OutcomeBar</name>
    <message>
      <source>Call notes (saved with the outcome):</source>
      <translation>通话备注（随处置结果保存）：</translation>
    </message>
    <message>
      <source>What the person said, where the money went...</source>
      <translation>当事人说了什么、钱转到了哪里……</translation>
    </message>
    <message>
      <source>Key %1 (Ctrl+%1 while typing notes)</source>
      <translation>按键 %1（输入备注时用 Ctrl+%1）</translation>
    </message>
  </context>
  <context>
    <name>PolicyDialog</name>
    <message>
      <source>Centre policy</source>
      <translation>中心策略</translation>
    </message>
    <message>
      <source>Per level</source>
      <translation>按预警等级</translation>
    </message>
    <message>
      <source>Changes apply at once on every workstation. A new first-contact limit also moves the deadlines of that level's warnings not yet called. Every change is recorded in the audit.</source>
      <translation>修改后所有工作站立即生效。新的首次联系时限也会调整该等级尚未拨打预警的截止时间。每次修改都记入审计日志。</translation>
    </message>
    <message>
      <source>Allowed values</source>
      <translation>允许的取值</translation>
    </message>
    <message>
      <source>Shift handovers must be whole hours such as 8:00, 20:00: %1</source>
      <translation>交班时间应为整点，如 8:00、20:00：%1</translation>
    </message>
    <message>
      <source>Not saved: %1</source>
      <translation>未保存：%1</translation>
    </message>
    <message>
      <source>Add a district</source>
      <translation>添加辖区</translation>
    </message>
    <message>
      <source>Remove selected</source>
      <translation>删除所选</translation>
    </message>
  </context>
  <context>
    <name>Presence</name>
    <message>
      <source>Script training</source>
      <translation>话术培训</translation>
    </message>
    <message>
      <source>Rehearsal</source>
      <translation>剧本演练</translation>
    </message>
    <message>
      <source>Briefing</source>
      <translation>班前会</translation>
    </message>
    <message>
      <source>Meal</source>
      <translation>用餐</translation>
    </message>
    <message>
      <source>Rest</source>
      <translation>休息</translation>
    </message>
    <message>
      <source>Personal</source>
      <translation>个人事务</translation>
    </message>
    <message>
      <source>Back to ready?</source>
      <translation>恢复就绪？</translation>
    </message>
    <message>
      <source>Reason (the lead sees it):</source>
      <translation>原因（值班长可见）：</translation>
    </message>
    <message>
      <source>Your state: the lead's room shows it</source>
      <translation>您的状态：值班长的在岗情况中可见</translation>
    </message>
    <message>
      <source>Could not set the state: %1</source>
      <translation>无法设置状态：%1</translation>
    </message>
    <message>
      <source>You are %1. Go back to ready and take the next warning?</source>
      <translation>您当前为「%1」。恢复就绪并领取下一条预警？</translation>
    </message>
    <message>
      <source>Since %1%2; the lead's room shows it</source>
      <translation>自 %1 起%2；值班长的在岗情况中可见</translation>
    </message>
  </context>
  <context>
    <name>QueueModel</name>
    <message>
      <source>Level</source>
      <translation>预警等级</translation>
    </message>
    <message>
      <source>Mark</source>
      <translation>标记</translation>
    </message>
    <message>
      <source>Time left</source>
      <translation>剩余时限</translation>
    </message>
    <message>
      <source>Scam type</source>
      <translation>诈骗类型</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Arrived</source>
      <translation>接收时间</translation>
    </message>
    <message>
      <source>This phone has had warnings before</source>
      <translation>该号码此前有过预警</translation>
    </message>
    <message>
      <source>retry at %1</source>
      <translation>%1 重拨</translation>
    </message>
    <message>
      <source>%1 left</source>
      <translation>剩 %1</translation>
    </message>
    <message>
      <source>%1 late</source>
      <translation>超时 %1</translation>
    </message>
    <message>
      <source>Mine</source>
      <translation>留给我</translation>
    </message>
    <message>
      <source>Repeat</source>
      <translation>重复</translation>
    </message>
    <message>
      <source>Retry</source>
      <translation>重拨</translation>
    </message>
    <message>
      <source>Lease ran out</source>
      <translation>超时未办</translation>
    </message>
    <message>
      <source>The same person has %1 more open warning(s); they are handled together</source>
      <translation>同一当事人另有 %1 条未办结预警，将一并处置</translation>
    </message>
    <message>
      <source>Reserved for you (an agreed callback or a follow-up after an escalation) until %1</source>
      <translation>留给您处置（约定回访或升级后跟进），保留至 %1</translation>
    </message>
    <message>
      <source>Due for another call (%1 failed so far)</source>
      <translation>到了再次拨打的时间（已 %1 次未接通）</translation>
    </message>
    <message>
      <source>%1 claimed it and the lease ran out</source>
      <translation>%1 领取后超时未处置，已退回队列</translation>
    </message>
    <message>
      <source>+%1</source>
      <translation>同人+%1</translation>
    </message>
  </context>
  <context>
    <name>Rehearsal</name>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>Trainee</source>
      <translation>学员</translation>
    </message>
    <message>
      <source>Scam type</source>
      <translation>诈骗类型</translation>
    </message>
    <message>
      <source>Score</source>
      <translation>得分</translation>
    </message>
    <message>
      <source>Finished</source>
      <translation>完成时间</translation>
    </message>
    <message>
      <source>Everyone's results</source>
      <translation>全体学员成绩</translation>
    </message>
    <message>
      <source>My results</source>
      <translation>我的成绩</translation>
    </message>
    <message>
      <source>Could not load results: %1</source>
      <translation>无法读取成绩：%1</translation>
    </message>
    <message>
      <source>Scam type:</source>
      <translation>诈骗类型：</translation>
    </message>
    <message>
      <source>Speak</source>
      <translation>朗读</translation>
    </message>
    <message>
      <source>Read the victim's line aloud</source>
      <translation>朗读受害人的这句话</translation>
    </message>
    <message>
      <source>Choose what you would say (Ctrl+1 to Ctrl+3), or type it:</source>
      <translation>选择您会说的话（Ctrl+1 至 Ctrl+3），或自己输入：</translation>
    </message>
    <message>
      <source>Type your own answer (Ctrl+Enter to submit)</source>
      <translation>输入您自己的回答（Ctrl+Enter 提交）</translation>
    </message>
    <message>
      <source>Submit answer</source>
      <translation>提交回答</translation>
    </message>
    <message>
      <source>What was missed</source>
      <translation>未讲到的要点</translation>
    </message>
    <message>
      <source>Save again</source>
      <translation>重新保存</translation>
    </message>
    <message>
      <source>Start again</source>
      <translation>重新开始</translation>
    </message>
    <message>
      <source>Saving the result...</source>
      <translation>正在保存成绩……</translation>
    </message>
    <message>
      <source>Start</source>
      <translation>开始演练</translation>
    </message>
    <message>
      <source>No playbook is loaded for this scam type.</source>
      <translation>此诈骗类型尚无剧本。</translation>
    </message>
    <message>
      <source>Choose an answer or type one first.</source>
      <translation>请先选择一个回答或输入回答。</translation>
    </message>
    <message>
      <source>Result saved.</source>
      <translation>成绩已保存。</translation>
    </message>
    <message>
      <source>Choose a scam type and press Start. The victim is a synthetic person; no real warning is used.</source>
      <translation>选择诈骗类型后点击“开始演练”。受害人为合成人物，不使用任何真实预警。</translation>
    </message>
    <message>
      <source>Nothing missed. Well done.</source>
      <translation>要点全部讲到，很好。</translation>
    </message>
    <message>
      <source>Victim:</source>
      <translation>受害人：</translation>
    </message>
    <message>
      <source>You:</source>
      <translation>学员：</translation>
    </message>
    <message>
      <source>The right choice.</source>
      <translation>选择正确。</translation>
    </message>
    <message>
      <source>Not the best choice.</source>
      <translation>这个回答不妥。</translation>
    </message>
    <message>
      <source>Synthetic person</source>
      <translation>合成人物</translation>
    </message>
    <message>
      <source>Not saved: %1</source>
      <translation>未保存：%1</translation>
    </message>
    <message>
      <source>Points so far: %1 of %2</source>
      <translation>已得要点：%1 / %2</translation>
    </message>
    <message>
      <source>Model answer:</source>
      <translation>参考答案：</translation>
    </message>
    <message>
      <source>Turn %1 of %2</source>
      <translation>第 %1 / %2 轮</translation>
    </message>
    <message>
      <source>Turn %1: %2</source>
      <translation>第 %1 轮：%2</translation>
    </message>
    <message>
      <source>Score: %1 of %2 points (%3%)</source>
      <translation>得分：%1 / %2 个要点（%3%）</translation>
    </message>
  </context>
  <context>
    <name>Reopen</name>
    <message>
      <source>Why reopen: a wrong outcome, the family called...</source>
      <translation>重新打开的原因：结果记错、家属来电……</translation>
    </message>
    <message>
      <source>Reopen (back to the queue)</source>
      <translation>重新打开（回到队列）</translation>
    </message>
    <message>
      <source>A closed warning goes back to the queue at once; your name and the reason go into the audit</source>
      <translation>已办结的预警立即回到队列；您的姓名和原因记入审计日志</translation>
    </message>
  </context>
  <context>
    <name>ReportDialog</name>
    <message>
      <source>Shift handover report</source>
      <translation>交班报告</translation>
    </message>
    <message>
      <source>Choose...</source>
      <translation>选择…</translation>
    </message>
    <message>
      <source>From</source>
      <translation>开始</translation>
    </message>
    <message>
      <source>To</source>
      <translation>结束</translation>
    </message>
    <message>
      <source>Format</source>
      <translation>格式</translation>
    </message>
    <message>
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <source>Save the report as</source>
      <translation>报告另存为</translation>
    </message>
    <message>
      <source>Writing the report...</source>
      <translation>正在生成报告……</translation>
    </message>
    <message>
      <source>The end must be after the start.</source>
      <translation>结束时间应晚于开始时间。</translation>
    </message>
    <message>
      <source>Times are the centre's (%1). Cards, ID numbers, phones and names are masked in the report.</source>
      <translation>时间为中心所在时区（%1）。报告中的银行卡号、身份证号、电话和姓名均已脱敏。</translation>
    </message>
    <message>
      <source>Saved: %1</source>
      <translation>已保存：%1</translation>
    </message>
    <message>
      <source>Not saved: %1</source>
      <translation>未保存：%1</translation>
    </message>
  </context>
  <context>
    <name>Review</name>
    <message>
      <source>This shift</source>
      <translation>本班</translation>
    </message>
    <message>
      <source>Previous shift</source>
      <translation>上一班</translation>
    </message>
    <message>
      <source>Today</source>
      <translation>今日</translation>
    </message>
    <message>
      <source>Last 7 days</source>
      <translation>近7天</translation>
    </message>
    <message>
      <source>All time</source>
      <translation>全部时间</translation>
    </message>
    <message>
      <source>Custom</source>
      <translation>自定义</translation>
    </message>
    <message>
      <source>Warnings that arrived in the period or had a call in it</source>
      <translation>在该时段内到达或有通话记录的预警</translation>
    </message>
    <message>
      <source>now</source>
      <translation>现在</translation>
    </message>
    <message>
      <source>Pass</source>
      <translation>合格</translation>
    </message>
    <message>
      <source>Fail</source>
      <translation>不合格</translation>
    </message>
    <message>
      <source>No.</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Arrived</source>
      <translation>到达时间</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>等级</translation>
    </message>
    <message>
      <source>Scam type</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Last outcome</source>
      <translation>最后结果</translation>
    </message>
    <message>
      <source>Calls</source>
      <translation>通话次数</translation>
    </message>
    <message>
      <source>Last officer</source>
      <translation>最后处置人</translation>
    </message>
    <message>
      <source>Review</source>
      <translation>复核</translation>
    </message>
    <message>
      <source>Last call %1</source>
      <translation>最后一次通话 %1</translation>
    </message>
    <message>
      <source>All</source>
      <translation>全部</translation>
    </message>
    <message>
      <source>Warning no., feed id or phone number (Enter)</source>
      <translation>预警编号、来源编号或电话号码（回车查询）</translation>
    </message>
    <message>
      <source>Searching by number or phone looks at all time, whatever the period</source>
      <translation>按编号或电话查询时不限时段</translation>
    </message>
    <message>
      <source>Search</source>
      <translation>查询</translation>
    </message>
    <message>
      <source>Reset</source>
      <translation>重置</translation>
    </message>
    <message>
      <source>Back to this shift, every officer and outcome</source>
      <translation>恢复为本班、全部处置人和结果</translation>
    </message>
    <message>
      <source>Open full history</source>
      <translation>查看完整记录</translation>
    </message>
    <message>
      <source>Everything about the selected warning (Enter or double-click); opening it is recorded</source>
      <translation>查看所选预警的全部记录（回车或双击）；查看操作会记入审计</translation>
    </message>
    <message>
      <source>Searching...</source>
      <translation>正在查询…</translation>
    </message>
    <message>
      <source>Period</source>
      <translation>时段</translation>
    </message>
    <message>
      <source>Officer</source>
      <translation>处置人</translation>
    </message>
    <message>
      <source>Find</source>
      <translation>搜索</translation>
    </message>
    <message>
      <source>All officers</source>
      <translation>全部处置人</translation>
    </message>
    <message>
      <source>No warning matches. Try another period or fewer conditions.</source>
      <translation>没有符合条件的预警。请换一个时段或减少筛选条件。</translation>
    </message>
    <message>
      <source>%1 found</source>
      <translation>共 %1 条</translation>
    </message>
    <message>
      <source>(all time)</source>
      <translation>（不限时段）</translation>
    </message>
  </context>
  <context>
    <name>RobotPanel</name>
    <message>
      <source>Lines in use</source>
      <translation>线路占用</translation>
    </message>
    <message>
      <source>Robot's share of the period</source>
      <translation>机器人在本期间的占比</translation>
    </message>
    <message>
      <source>Robot's first pass</source>
      <translation>机器人首呼</translation>
    </message>
    <message>
      <source>No calls yet.</source>
      <translation>尚无外呼。</translation>
    </message>
    <message>
      <source>None handed over.</source>
      <translation>没有转人工。</translation>
    </message>
    <message>
      <source>Robot calls by result (%1)</source>
      <translation>机器人外呼结果（%1）</translation>
    </message>
    <message>
      <source>Handed to people, and why (%1)</source>
      <translation>转人工及原因（%1）</translation>
    </message>
    <message>
      <source>(off: no robot line)</source>
      <translation>（未开启：没有机器人线路）</translation>
    </message>
    <message>
      <source>%1 waiting for a line</source>
      <translation>%1 人等待线路</translation>
    </message>
    <message>
      <source>%1 retries later</source>
      <translation>%1 人稍后重拨</translation>
    </message>
    <message>
      <source>%1 of %2 lines calling</source>
      <translation>%2 条线路中 %1 条通话中</translation>
    </message>
    <message>
      <source>Calls: %1 (people made %2)</source>
      <translation>外呼：%1（民警外呼 %2 次）</translation>
    </message>
    <message>
      <source>Dissuaded: %1 (%2 closed by key 1)</source>
      <translation>劝阻成功：%1（按1办结 %2 条）</translation>
    </message>
  </context>
  <context>
    <name>Room</name>
    <message>
      <source>Officer</source>
      <translation>民警</translation>
    </message>
    <message>
      <source>State</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>For</source>
      <translation>持续</translation>
    </message>
    <message>
      <source>Warning</source>
      <translation>预警</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>等级</translation>
    </message>
    <message>
      <source>Scam type</source>
      <translation>诈骗类型</translation>
    </message>
    <message>
      <source>Phone</source>
      <translation>电话</translation>
    </message>
    <message>
      <source>On it for</source>
      <translation>处置时长</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Where everyone is</source>
      <translation>在岗情况</translation>
    </message>
    <message>
      <source>In this state since %1</source>
      <translation>自 %1 起处于此状态</translation>
    </message>
    <message>
      <source>Holding it since %1</source>
      <translation>自 %1 起处置此预警</translation>
    </message>
    <message>
      <source>Could not load the room: %1</source>
      <translation>无法加载在岗情况：%1</translation>
    </message>
  </context>
  <context>
    <name>ScriptPanel</name>
    <message>
      <source>SMS</source>
      <translation>短信</translation>
    </message>
    <message>
      <source>The type's SMS warning with the person's name</source>
      <translation>该类型的劝阻短信（带当事人姓名）</translation>
    </message>
    <message>
      <source>Voice</source>
      <translation>语音</translation>
    </message>
    <message>
      <source>Play the type's voice warning</source>
      <translation>播放该类型的语音提醒</translation>
    </message>
    <message>
      <source>Search objections (Ctrl+K)</source>
      <translation>查找托词：输入对方说的话的任意部分 (Ctrl+K)</translation>
    </message>
    <message>
      <source>Find an objection by any part of what the person says (Ctrl+K; Esc returns to the outcome keys)</source>
      <translation>按对方说的话的任意部分查找托词（Ctrl+K；按 Esc 回到结果键）</translation>
    </message>
    <message>
      <source>Tick what the person mentions:</source>
      <translation>勾选当事人提到的情况：</translation>
    </message>
    <message>
      <source>Re-type as this</source>
      <translation>改为此类型</translation>
    </message>
    <message>
      <source>Say</source>
      <translation>应对话术</translation>
    </message>
    <message>
      <source>Ask</source>
      <translation>可以问</translation>
    </message>
    <message>
      <source>Red flags</source>
      <translation>危险信号</translation>
    </message>
    <message>
      <source>Likely types from the cues:</source>
      <translation>根据线索可能的类型：</translation>
    </message>
    <message>
      <source>Now</source>
      <translation>当前阶段</translation>
    </message>
    <message>
      <source>What this scam is</source>
      <translation>骗局概要</translation>
    </message>
    <message>
      <source>Found</source>
      <translation>找到</translation>
    </message>
    <message>
      <source>The cues point to %1 more than to this type.</source>
      <translation>线索更像是%1，而不是当前类型。</translation>
    </message>
    <message>
      <source>Objections and answers</source>
      <translation>常见托词与应对</translation>
    </message>
    <message>
      <source>Scam script</source>
      <translation>诈骗剧本</translation>
    </message>
    <message>
      <source>The script of the open warning appears here.</source>
      <translation>领取预警后，这里显示对应诈骗类型的话术与应对要点。</translation>
    </message>
    <message>
      <source>How it reaches victims</source>
      <translation>接触渠道</translation>
    </message>
    <message>
      <source>No objection contains “%1”.</source>
      <translation>没有包含“%1”的托词。</translation>
    </message>
  </context>
  <context>
    <name>SignInDialog</name>
    <message>
      <source>Anti-fraud dissuasion workbench: sign in</source>
      <translation>反诈劝阻工作台：登录</translation>
    </message>
    <message>
      <source>Hub address or database file</source>
      <translation>中心服务器地址或数据库文件</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>用户名</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <source>Sign in</source>
      <translation>登录</translation>
    </message>
    <message>
      <source>Signing in...</source>
      <translation>正在登录……</translation>
    </message>
    <message>
      <source>Retry</source>
      <translation>重试</translation>
    </message>
  </context>
  <context>
    <name>SignInFlow</name>
    <message>
      <source>Sign out</source>
      <translation>签退</translation>
    </message>
    <message>
      <source>Stay signed in</source>
      <translation>保持登录</translation>
    </message>
    <message>
      <source>Switch user...</source>
      <translation>切换用户…</translation>
    </message>
    <message>
      <source>%1 signed out. Sign in to go on.</source>
      <translation>%1 已签退。请登录以继续。</translation>
    </message>
    <message>
      <source>%1 outcomes or proposals of %2 wait to be sent to the hub, and %3 were refused. They stay on this workstation and are sent when %2 signs in here again. Sign out now?</source>
      <translation>%2 有 %1 条处置结果或申请尚未发送到中心服务器，另有 %3 条被拒绝。它们保留在本工作站，%2 下次在此登录时自动发送。现在签退吗？</translation>
    </message>
  </context>
  <context>
    <name>TelephonyDialog</name>
    <message>
      <source>Telephony gateway</source>
      <translation>电话网关</translation>
    </message>
    <message>
      <source>Gateway</source>
      <translation>网关</translation>
    </message>
    <message>
      <source>Command</source>
      <translation>命令</translation>
    </message>
    <message>
      <source>URI</source>
      <translation>链接（URI）</translation>
    </message>
    <message>
      <source>Control port</source>
      <translation>控制端口</translation>
    </message>
    <message>
      <source>{phone} (E.164), {national} (the digits dialled in China) and {warning_id} are filled in; no shell runs the command. A softphone's control port reports when the call is answered and hung up. Synthetic (demo) warnings are never dialled.</source>
      <translation>命令中的 {phone}（E.164 格式）、{national}（国内拨打的号码）和 {warning_id} 会被替换；命令不经过 shell 执行。软电话控制端口会回报接通和挂断时间。演示数据不拨号。</translation>
    </message>
    <message>
      <source>None: dial on the desk phone</source>
      <translation>无：用座机手动拨号</translation>
    </message>
    <message>
      <source>Run a command</source>
      <translation>运行命令</translation>
    </message>
    <message>
      <source>Open a tel: or sip: link (the desktop's phone program)</source>
      <translation>打开 tel: 或 sip: 链接（桌面的电话程序）</translation>
    </message>
    <message>
      <source>Drive a softphone's control port (baresip)</source>
      <translation>控制软电话（baresip 控制端口）</translation>
    </message>
    <message>
      <source>%1 is set on this computer (%2): it is used instead of the choice here.</source>
      <translation>本机已设置 %1（%2），将优先使用它，而不是此处的选择。</translation>
    </message>
  </context>
  <context>
    <name>Undo</name>
    <message>
      <source>Undo (Ctrl+Z)</source>
      <translation>撤销 (Ctrl+Z)</translation>
    </message>
    <message>
      <source>Undo (Ctrl+Z) %1 s</source>
      <translation>撤销 (Ctrl+Z) %1 秒</translation>
    </message>
    <message>
      <source>Take back the outcome just recorded, within %1 seconds: the warning comes back with its notes</source>
      <translation>撤销刚记录的处置结果（%1 秒内）：预警连同备注回到您手中</translation>
    </message>
    <message>
      <source>The outcome is no longer waiting to be sent.</source>
      <translation>该结果已不在待发送列表中。</translation>
    </message>
  </context>
  <context>
    <name>Voice</name>
    <message>
      <source>Could not make the voice warning: %1</source>
      <translation>无法生成语音提醒：%1</translation>
    </message>
  </context>
  <context>
    <name>WarningDetail</name>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Scam type</source>
      <translation>诈骗类型</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>预警等级</translation>
    </message>
    <message>
      <source>Time limit</source>
      <translation>处置时限</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>Reported</source>
      <translation>预警时间</translation>
    </message>
    <message>
      <source>District</source>
      <translation>辖区</translation>
    </message>
    <message>
      <source>Fraud contact</source>
      <translation>涉诈号码/网址</translation>
    </message>
    <message>
      <source>Amount at risk</source>
      <translation>涉案金额</translation>
    </message>
    <message>
      <source>Bank cards</source>
      <translation>银行卡</translation>
    </message>
    <message>
      <source>ID number</source>
      <translation>身份证号</translation>
    </message>
    <message>
      <source>Feed notes</source>
      <translation>预警说明</translation>
    </message>
    <message>
      <source>Feed problems</source>
      <translation>数据问题</translation>
    </message>
    <message>
      <source>Copy number</source>
      <translation>复制号码</translation>
    </message>
    <message>
      <source>No warning open. Press F2 for the next most urgent warning.</source>
      <translation>当前没有处置中的预警。按 F2 领取最紧急的一条。</translation>
    </message>
    <message>
      <source>Calls on this warning</source>
      <translation>本预警的处置记录</translation>
    </message>
    <message>
      <source>SMS sent</source>
      <translation>已发短信</translation>
    </message>
    <message>
      <source>Earlier warnings on this number</source>
      <translation>该号码的历史预警</translation>
    </message>
    <message>
      <source>Show in full</source>
      <translation>显示完整</translation>
    </message>
    <message>
      <source>Shows the whole number; recorded in the audit with your reason</source>
      <translation>显示完整号码；连同您填写的原因记入审计日志</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>Officer</source>
      <translation>民警</translation>
    </message>
    <message>
      <source>Outcome</source>
      <translation>处置结果</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <source>Sent by</source>
      <translation>发送人</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Arrived</source>
      <translation>接收时间</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Settle</source>
      <translation>一并办结</translation>
    </message>
    <message>
      <source>No.</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>First call %1, within the limit %2</source>
      <translation>首次拨打 %1，在时限 %2 内</translation>
    </message>
    <message>
      <source>First call %1, after the limit %2</source>
      <translation>首次拨打 %1，超过时限 %2</translation>
    </message>
    <message>
      <source>ext. %1</source>
      <translation>分机 %1</translation>
    </message>
    <message>
      <source>Same person: %1 more open warning(s). Ticked ones are settled with this outcome.</source>
      <translation>同一当事人另有 %1 条未办结预警；勾选的将随本次结果一并办结。</translation>
    </message>
    <message>
      <source>on arrival (automatic)</source>
      <translation>到达即发（自动）</translation>
    </message>
    <message>
      <source>arrived</source>
      <translation>接收</translation>
    </message>
    <message>
      <source>%1 left (by %2)</source>
      <translation>剩余 %1（%2 前）</translation>
    </message>
    <message>
      <source>Overdue by %1 (limit %2)</source>
      <translation>已超时 %1（时限 %2）</translation>
    </message>
  </context>
  <context>
    <name>Workbench</name>
    <message>
      <source>Next warning (F2)</source>
      <translation>下一条预警 (F2)</translation>
    </message>
    <message>
      <source>Claim the most urgent warning in the queue</source>
      <translation>领取队列中最紧急的预警</translation>
    </message>
    <message>
      <source>Escalate (F8)</source>
      <translation>申请升级 (F8)</translation>
    </message>
    <message>
      <source>Propose a card lock, door visit or chase call for this warning</source>
      <translation>为该预警申请止付锁卡、上门劝阻或智能追呼</translation>
    </message>
    <message>
      <source>Put back</source>
      <translation>放回队列</translation>
    </message>
    <message>
      <source>Raise level (F9)</source>
      <translation>提级 (F9)</translation>
    </message>
    <message>
      <source>Make this warning more urgent, with a reason</source>
      <translation>提高此预警的等级（须填写原因）</translation>
    </message>
    <message>
      <source>Warning no. or phone: where is it? (Ctrl+F)</source>
      <translation>编号或电话查去向 (Ctrl+F)</translation>
    </message>
    <message>
      <source>Type a warning's number, or the person's phone number in any form, and press Enter to see why it is or is not in the queue</source>
      <translation>输入预警编号或当事人电话号码（任意写法），按回车查看它为何在或不在队列中</translation>
    </message>
    <message>
      <source>Return the warning to the queue without an outcome</source>
      <translation>不记录结果，将预警放回队列</translation>
    </message>
    <message>
      <source>Claiming the most urgent warning...</source>
      <translation>正在领取最紧急的预警……</translation>
    </message>
    <message>
      <source>Making the voice warning...</source>
      <translation>正在生成语音提醒……</translation>
    </message>
    <message>
      <source>Close while holding a warning?</source>
      <translation>仍持有预警，确定关闭？</translation>
    </message>
    <message>
      <source>Record an outcome or put the open warning back first.</source>
      <translation>请先记录处置结果或将当前预警放回队列。</translation>
    </message>
    <message>
      <source>The queue is empty. New warnings appear here as they arrive.</source>
      <translation>队列已清空。新预警到达后会显示在这里。</translation>
    </message>
    <message>
      <source>SMS text copied: paste it into the SMS system.</source>
      <translation>短信内容已复制，请粘贴到短信平台发送。</translation>
    </message>
    <message>
      <source>Playing the voice warning.</source>
      <translation>正在播放语音提醒。</translation>
    </message>
    <message>
      <source>Queue: %1 waiting</source>
      <translation>待处置队列：%1 条</translation>
    </message>
    <message>
      <source>Could not renew the claim: %1</source>
      <translation>无法续期领取：%1</translation>
    </message>
    <message>
      <source>Warning %1 is back in the queue.</source>
      <translation>预警 %1 已放回队列。</translation>
    </message>
    <message>
      <source>Undone: warning %1 is yours again, as it was.</source>
      <translation>已撤销：预警 %1 已按原样回到您手中。</translation>
    </message>
    <message>
      <source>SMS sent through the gateway.</source>
      <translation>短信已通过网关发送。</translation>
    </message>
    <message>
      <source>Type a warning's number, or the person's phone number, to see where it is.</source>
      <translation>请输入预警编号或当事人电话号码查询去向。</translation>
    </message>
    <message>
      <source>You hold warning %1. Closing puts it back in the queue; your notes are kept as a draft and come back when you open it again. Close now?</source>
      <translation>您正持有预警 %1。关闭后它将退回队列；您的备注会保存为草稿，再次打开时自动恢复。现在关闭吗？</translation>
    </message>
    <message>
      <source>Not recorded: %1</source>
      <translation>未能记录：%1</translation>
    </message>
    <message>
      <source>Escalation not recorded: %1</source>
      <translation>升级申请未能记录：%1</translation>
    </message>
    <message>
      <source>Warning %1 (%2) is yours. Call now; the outcome keys are 1 to 0.</source>
      <translation>预警 %1（%2）已由您领取，请立即拨打；处置结果按 1 至 0。</translation>
    </message>
    <message>
      <source>Recording %1 for warning %2...</source>
      <translation>正在记录预警 %2：%1……</translation>
    </message>
    <message>
      <source>SMS not sent: %1</source>
      <translation>短信未发送：%1</translation>
    </message>
    <message>
      <source>Proposing %1 for warning %2...</source>
      <translation>正在为预警 %2 申请%1……</translation>
    </message>
    <message>
      <source>No warning has the phone number %1.</source>
      <translation>没有电话号码为 %1 的预警。</translation>
    </message>
    <message>
      <source>There is no warning %1.</source>
      <translation>没有编号为 %1 的预警。</translation>
    </message>
    <message>
      <source>Warning %1 is now %2.</source>
      <translation>预警 %1 已改为%2。</translation>
    </message>
    <message>
      <source>Kept: the hub no longer accepts this session or token. Sign in again; warning %1's outcome (%2) is sent then.</source>
      <translation>已暂存：中心服务器不再接受当前登录或令牌，请重新登录；预警 %1 的处置结果（%2）将在登录后自动发送。</translation>
    </message>
    <message>
      <source>Kept: the hub no longer accepts this session or token. Sign in again; the proposal for warning %1 (%2) is sent then.</source>
      <translation>已暂存：中心服务器不再接受当前登录或令牌，请重新登录；预警 %1 的%2申请将在登录后自动发送。</translation>
    </message>
    <message>
      <source>Warning %1: %2</source>
      <translation>预警 %1：%2</translation>
    </message>
    <message>
      <source>Kept; it is sent automatically when the network is back. Warning %1: %2.</source>
      <translation>已暂存，网络恢复后自动发送。预警 %1：%2。</translation>
    </message>
    <message>
      <source>Recorded %1 for warning %2. F2 takes the next one.</source>
      <translation>已记录预警 %2：%1。按 F2 领取下一条。</translation>
    </message>
    <message>
      <source>Kept; it is sent automatically when the network is back. Warning %1: %2 proposed.</source>
      <translation>已暂存，网络恢复后自动发送。预警 %1：申请%2。</translation>
    </message>
    <message>
      <source>Proposed %1 for warning %2; a lead decides.</source>
      <translation>已为预警 %2 申请%1，等待值班长审批。</translation>
    </message>
  </context>
</TS>
