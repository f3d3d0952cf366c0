<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Dialogs</name>
    <message>
      <source>Propose escalation</source>
      <translation>申请升级处置</translation>
    </message>
    <message>
      <source>Why: still transferring, unreachable...</source>
      <translation>原因：仍在转账、无法联系……</translation>
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
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>Refresh queue</source>
      <translation>刷新队列</translation>
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
      <source>F2 or Ctrl+Enter: next warning
1-0 (Ctrl+1-0 while typing notes): outcome
F8: escalate
F5: refresh the queue
Double-click a queue row: claim that warning
Ctrl+Q: quit</source>
      <translation>F2 或 Ctrl+Enter：领取下一条预警
1-0（输入备注时用 Ctrl+1-0）：记录处置结果
F8：申请升级
F5：刷新队列
双击队列中的一行：领取该预警
Ctrl+Q：退出</translation>
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
      <source>Rehearsal</source>
      <translation>剧本演练</translation>
    </message>
    <message>
      <source>Local database: %1</source>
      <translation>本地数据库：%1</translation>
    </message>
    <message>
      <source>Playbook not loaded: %1</source>
      <translation>剧本未能载入：%1</translation>
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
      <source>Hub: %1</source>
      <translation>中心服务器：%1</translation>
    </message>
    <message>
      <source>Offline: %1 waiting to send to %2</source>
      <translation>离线：%1 条待发送至 %2</translation>
    </message>
    <message>
      <source>Emergency warning: %1 (%2 new). Press F2 to take it.</source>
      <translation>紧急预警：%1（新到 %2 条），按 F2 立即领取。</translation>
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
      <source>Retry %1</source>
      <translation>%1 重拨</translation>
    </message>
    <message>
      <source>Overdue %1</source>
      <translation>超时 %1</translation>
    </message>
    <message>
      <source>Due for another call (%1 failed so far)</source>
      <translation>到了再次拨打的时间（已 %1 次未接通）</translation>
    </message>
    <message>
      <source>%1 claimed it and the lease ran out</source>
      <translation>%1 领取后超时未处置，已退回队列</translation>
    </message>
  </context>
  <context>
    <name>Rehearsal</name>
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
      <source>Find an objection: type any part of what they say</source>
      <translation>查找托词：输入对方说的话的任意部分</translation>
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
      <source>Feed notes</source>
      <translation>预警说明</translation>
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
      <source>Earlier warnings on this number</source>
      <translation>该号码的历史预警</translation>
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
      <source>Arrived</source>
      <translation>接收时间</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
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
      <source>SMS sent through the gateway.</source>
      <translation>短信已通过网关发送。</translation>
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
      <source>Recorded %1 for warning %2. F2 takes the next one.</source>
      <translation>已记录预警 %2：%1。按 F2 领取下一条。</translation>
    </message>
    <message>
      <source>Saved offline for warning %1; it is sent when the hub answers.</source>
      <translation>预警 %1 的结果已离线保存，网络恢复后自动发送。</translation>
    </message>
    <message>
      <source>SMS not sent: %1</source>
      <translation>短信未发送：%1</translation>
    </message>
    <message>
      <source>Proposed %1 for warning %2; a lead decides.</source>
      <translation>已为预警 %2 申请%1，等待值班长审批。</translation>
    </message>
    <message>
      <source>Warning %1 is now %2.</source>
      <translation>预警 %1 已改为%2。</translation>
    </message>
  </context>
</TS>
