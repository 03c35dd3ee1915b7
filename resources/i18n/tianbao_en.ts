<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>BlockersDialog</name>
    <message>
        <location filename="../../desktop/dialogs.py" line="105"/>
        <source>错误</source>
        <translation>Errors</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="106"/>
        <source>提示未说明</source>
        <translation>Warnings not explained</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="107"/>
        <source>未填报</source>
        <translation>Not filled</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="122"/>
        <source>报表还不能报送</source>
        <translation>The return cannot be submitted yet</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="127"/>
        <source>错误 %1 项 · 提示未说明 %2 项 · 未填报 %3 项</source>
        <translation>%1 errors · %2 warnings not explained · %3 not filled</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="135"/>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="135"/>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="135"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="161"/>
        <source>所选指标标为“无此项数据”…</source>
        <translation>Mark selected as &quot;no data for this item&quot;…</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="163"/>
        <source>本单位确实没有这些指标的数据：填写一个原因，记入情况说明和修改记录</source>
        <translation>The unit really has no data for these indicators: give one reason, stored as their explanation and in the history</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="167"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="171"/>
        <source>请先改正错误，并为每条提示填写情况说明（双击可跳到该格）：</source>
        <translation>Correct the errors and explain every warning first (double-click goes to the cell):</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="208"/>
        <source>请先在列表中选择一个或多个指标（可按住 Ctrl 或 Shift 多选）。</source>
        <translation>Select one or more indicators in the list first (Ctrl or Shift to select several).</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="213"/>
        <source>无此项数据</source>
        <translation>No data for this item</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="214"/>
        <source>%1 个指标标为“无此项数据”，原因：</source>
        <translation>%1 indicators marked &quot;no data for this item&quot;; reason:</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="215"/>
        <source>例如：本单位不承担该项统计，数据由县卫健局报送</source>
        <translation>e.g. this unit does not collect it; the county health bureau reports it</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../desktop/saving.py" line="35"/>
        <source>其他用户已修改</source>
        <translation>Changed by another user</translation>
    </message>
    <message>
        <location filename="../../desktop/saving.py" line="39"/>
        <source>%1

您看到的：%2
%3（%4）保存的：%5
您输入的：%6</source>
        <translation>%1

You saw: %2
Saved by %3 (%4): %5
You typed: %6</translation>
    </message>
    <message>
        <location filename="../../desktop/saving.py" line="48"/>
        <source>保留我的值</source>
        <translation>Keep my value</translation>
    </message>
    <message>
        <location filename="../../desktop/saving.py" line="49"/>
        <source>采用对方的值</source>
        <translation>Take their value</translation>
    </message>
</context>
<context>
    <name>Core</name>
    <message>
        <location filename="../../desktop/i18n.py" line="12"/>
        <source>省</source>
        <translation>Province</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="13"/>
        <source>市</source>
        <translation>City</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="14"/>
        <source>县（区）</source>
        <translation>County (district)</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="15"/>
        <source>乡镇（街道）</source>
        <translation>Township (street)</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="16"/>
        <source>村（社区）</source>
        <translation>Village (community)</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="17"/>
        <source>成员单位</source>
        <translation>Member department</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="18"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="19"/>
        <source>已报送</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="20"/>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="21"/>
        <source>达标</source>
        <translation>Met</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="22"/>
        <source>未达标</source>
        <translation>Not met</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="23"/>
        <source>接近</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="24"/>
        <source>本年无目标</source>
        <translation>No target this year</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="25"/>
        <source>无数据</source>
        <translation>No data</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="26"/>
        <source>录入</source>
        <translation>Typed</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="27"/>
        <source>导入</source>
        <translation>Imported</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="28"/>
        <source>汇总</source>
        <translation>Aggregated</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="29"/>
        <source>系统</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="30"/>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="31"/>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="32"/>
        <source>城镇</source>
        <translation>Urban</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="33"/>
        <source>农村</source>
        <translation>Rural</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="34"/>
        <source>0-5岁</source>
        <translation>age 0-5</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="35"/>
        <source>6-14岁</source>
        <translation>age 6-14</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="36"/>
        <source>15-17岁</source>
        <translation>age 15-17</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="39"/>
        <location filename="../../desktop/i18n.py" line="37"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="38"/>
        <source>部分</source>
        <translation>Partly</translation>
    </message>
    <message>
        <location filename="../../desktop/i18n.py" line="39"/>
        <source>否</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../desktop/errors.py" line="56"/>
        <source>程序出错</source>
        <translation>Program error</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="57"/>
        <source>（未能写入日志文件）</source>
        <translation>(the log file could not be written)</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="60"/>
        <source>程序遇到一个内部错误。已保存的数据不受影响；正在输入的内容请核对后重新输入。请点击“复制详情”，把内容发给技术支持人员。
错误已记入日志文件：</source>
        <translation>The program met an internal error. Saved data is not affected; check what you were typing and enter it again. Click &quot;Copy details&quot; and send them to technical support.
The error was written to the log file: </translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="68"/>
        <source>复制详情</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="71"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>DomainNav</name>
    <message>
        <location filename="../../desktop/main_window.py" line="78"/>
        <source>已填 %1/%2</source>
        <translation>filled %1/%2</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="84"/>
        <source>已填 %1/%2，错误 %3，提示 %4</source>
        <translation>filled %1/%2, errors %3, warnings %4</translation>
    </message>
</context>
<context>
    <name>DutiesDialog</name>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="62"/>
        <source>填报分工</source>
        <translation>Reporting duties</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="67"/>
        <source>按名称或代码筛选</source>
        <translation>Filter by name or code</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="72"/>
        <source>整个领域分给</source>
        <translation>Give the whole domain to</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="73"/>
        <source>把所选领域的全部指标分给右边选定的单位</source>
        <translation>Give every indicator of the chosen domain to the unit chosen on the right</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="75"/>
        <source>筛选出的指标分给</source>
        <translation>Give the filtered indicators to</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="76"/>
        <source>把表中当前显示的指标分给右边选定的单位</source>
        <translation>Give the indicators shown in the table to the unit chosen on the right</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="80"/>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="80"/>
        <source>领域</source>
        <translation>Domain</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="80"/>
        <source>指标名称</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="80"/>
        <source>填报单位</source>
        <translation>Reported by</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="81"/>
        <source>计划所列责任部门</source>
        <translation>Departments named in the plan</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="90"/>
        <source>恢复默认</source>
        <translation>Restore defaults</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="92"/>
        <source>按计划所列责任部门、以乡镇为单位的目标分给下级，其余由本级填报（保存后生效）</source>
        <translation>Departments named in the plan, per-township targets to the sub-units, the rest to this office (in force once saved)</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="95"/>
        <source>导出分工表…</source>
        <translation>Export duties sheet…</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="97"/>
        <source>导入分工表…</source>
        <translation>Import duties sheet…</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="99"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="102"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="107"/>
        <source>领域：</source>
        <translation>Domain:</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="145"/>
        <source>（尚未确定：下表为默认分工，保存后生效）</source>
        <translation> (not set yet: the defaults are shown; in force once saved)</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="148"/>
        <source>%1 · %2（第 %3 版）填报分工</source>
        <translation>%1 · %2 (version %3): reporting duties</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="154"/>
        <source>全部领域</source>
        <translation>All domains</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="195"/>
        <source>另一位用户刚修改了填报分工。您的修改尚未保存；保存时如与对方冲突，会提示您。</source>
        <translation>Another user has just changed the division. Your changes are not saved yet; if they clash with the other user&apos;s, you will be asked when you save.</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="200"/>
        <source>已显示其他用户的最新修改。</source>
        <translation>Showing the other user&apos;s latest change.</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="248"/>
        <source>%1 项未保存。</source>
        <translation>%1 not saved. </translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="280"/>
        <source>请先在“领域”中选择一个领域。</source>
        <translation>Choose a domain under “Domain” first.</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="288"/>
        <source>请先输入筛选条件或选择领域，再把筛选出的指标分给一个单位。</source>
        <translation>Type a filter or choose a domain first, then give the filtered indicators to a unit.</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="314"/>
        <source>已保存填报分工（%1 项有变化）。</source>
        <translation>Reporting duties saved (%1 changed).</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="320"/>
        <source>另有 %1 个指标已由其他用户修改（%2），表中显示的是最新分工。</source>
        <translation>%1 other indicators were changed by other users (%2); the table shows the latest division.</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="333"/>
        <source>填报分工已被其他用户修改</source>
        <translation>The division was changed by another user</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="337"/>
        <source>是否重新载入？重新载入后表中显示对方的分工，您对其他指标的修改仍保留在表中（尚未保存）。</source>
        <translation>Reload? The table will show the other user&apos;s division; your changes to other indicators stay in the table (not yet saved).</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="355"/>
        <source>已重新载入：%1 个指标显示对方的分工（%2）；您的其他 %3 项修改尚未保存。</source>
        <translation>Reloaded: %1 indicators show the other user&apos;s division (%2); your other %3 changes are not saved yet.</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="368"/>
        <source>导出填报分工表</source>
        <translation>Export reporting duties</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="370"/>
        <location filename="../../desktop/duties_dialog.py" line="386"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="380"/>
        <source>已导出：%1</source>
        <translation>Exported: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="386"/>
        <source>导入填报分工表</source>
        <translation>Import reporting duties</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="401"/>
        <source>已导入填报分工（%1 项有变化）。</source>
        <translation>Reporting duties imported (%1 changed).</translation>
    </message>
</context>
<context>
    <name>EntryModel</name>
    <message>
        <location filename="../../desktop/entry_model.py" line="62"/>
        <source>达标</source>
        <translation>Met</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="63"/>
        <source>未达标</source>
        <translation>Not met</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="64"/>
        <source>接近</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="65"/>
        <source>本年无目标</source>
        <translation>No target this year</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="66"/>
        <source>无数据</source>
        <translation>No data</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="67"/>
        <source>按进度</source>
        <translation>On course</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="68"/>
        <source>落后于进度</source>
        <translation>Behind schedule</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="127"/>
        <source>其中：</source>
        <translation>of which: </translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="208"/>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="209"/>
        <source>指标名称</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="210"/>
        <source>单位</source>
        <translation>Units</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="211"/>
        <source>本年目标</source>
        <translation>Target this year</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="212"/>
        <source>上年值</source>
        <translation>Last year</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="213"/>
        <source>分子</source>
        <translation>Numerator</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="214"/>
        <source>分母</source>
        <translation>Denominator</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="215"/>
        <source>本年值</source>
        <translation>This year</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="216"/>
        <source>达标情况</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="217"/>
        <source>审核</source>
        <translation>Checks</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="218"/>
        <source>情况说明</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="325"/>
        <source>先改正错误</source>
        <translation>Fix the error first</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="337"/>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="349"/>
        <source>未保存：无法写入数据库，内容已保留，程序会自动重试。</source>
        <translation>Not saved: the database could not be written; the text is kept and the program retries automatically.</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="356"/>
        <source>数据来源：%1</source>
        <translation>Source: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/entry_model.py" line="382"/>
        <source>不由本单位填报（填报分工），只读</source>
        <translation>Reported by another unit (reporting duties): read-only</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../desktop/errors.py" line="103"/>
        <source>未完成</source>
        <translation>Not done</translation>
    </message>
</context>
<context>
    <name>EvaluationActions</name>
    <message>
        <location filename="../../desktop/evaluation_actions.py" line="32"/>
        <source>中期评估报告（PDF）…</source>
        <translation>Mid-term evaluation report (PDF)…</translation>
    </message>
    <message>
        <location filename="../../desktop/evaluation_actions.py" line="34"/>
        <source>终期评估报告（PDF）…</source>
        <translation>Final evaluation report (PDF)…</translation>
    </message>
    <message>
        <location filename="../../desktop/evaluation_actions.py" line="35"/>
        <source>统计资料（Excel）…</source>
        <translation>Statistical tables (Excel)…</translation>
    </message>
    <message>
        <location filename="../../desktop/evaluation_actions.py" line="36"/>
        <source>统计资料（PDF）…</source>
        <translation>Statistical tables (PDF)…</translation>
    </message>
    <message>
        <location filename="../../desktop/evaluation_actions.py" line="48"/>
        <source>终期评估报告</source>
        <translation>Final evaluation report</translation>
    </message>
    <message>
        <location filename="../../desktop/evaluation_actions.py" line="48"/>
        <source>中期评估报告</source>
        <translation>Mid-term evaluation report</translation>
    </message>
    <message>
        <location filename="../../desktop/evaluation_actions.py" line="73"/>
        <source>统计资料</source>
        <translation>Statistical tables</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <location filename="../../desktop/file_actions.py" line="98"/>
        <source>导出报表（Excel）…</source>
        <translation>Export return (Excel)…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="99"/>
        <source>导出空白模板（Excel）…</source>
        <translation>Export blank template (Excel)…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="100"/>
        <source>导出汇总报表（Excel）…</source>
        <translation>Export compiled return (Excel)…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="101"/>
        <source>另存为 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="102"/>
        <source>导出空白纸质表（PDF）…</source>
        <translation>Export blank paper form (PDF)…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="103"/>
        <source>年度监测报告（PDF）…</source>
        <translation>Annual monitoring report (PDF)…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="104"/>
        <source>打印预览…</source>
        <translation>Print preview…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="105"/>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="106"/>
        <source>导入报表（文件）…</source>
        <translation>Import returns (files)…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="107"/>
        <source>导入报表（文件夹）…</source>
        <translation>Import returns (folder)…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="108"/>
        <source>导出计划工作簿…</source>
        <translation>Export plan workbook…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="109"/>
        <source>导入计划工作簿…</source>
        <translation>Import plan workbook…</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="136"/>
        <location filename="../../desktop/file_actions.py" line="307"/>
        <location filename="../../desktop/file_actions.py" line="315"/>
        <source>未完成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="158"/>
        <location filename="../../desktop/file_actions.py" line="346"/>
        <source>已导出：%1</source>
        <translation>Exported: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="170"/>
        <source>导出报表</source>
        <translation>Export return</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="180"/>
        <source>导出空白模板</source>
        <translation>Export blank template</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="190"/>
        <source>导出汇总报表</source>
        <translation>Export compiled return</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="198"/>
        <location filename="../../desktop/file_actions.py" line="217"/>
        <location filename="../../desktop/file_actions.py" line="230"/>
        <source>导入报表</source>
        <translation>Import returns</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="204"/>
        <source>导入文件夹中的全部报表</source>
        <translation>Import every return in a folder</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="231"/>
        <source>导入结果（%1 个文件）：</source>
        <translation>Import results (%1 files):</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="249"/>
        <source>另存为 PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="259"/>
        <source>导出空白纸质表</source>
        <translation>Export blank paper form</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="269"/>
        <source>年度监测报告</source>
        <translation>Annual monitoring report</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="295"/>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="325"/>
        <source>未能打印</source>
        <translation>Not printed</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="327"/>
        <source>无法在所选打印机上打印。请检查打印机是否已连接并开机，或先“另存为 PDF”再打印。</source>
        <translation>Could not print on the chosen printer. Check that it is connected and switched on, or &quot;Save as PDF&quot; and print that.</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="331"/>
        <source>已发送打印：%1 页</source>
        <translation>Sent to the printer: %1 pages</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="341"/>
        <source>导出计划工作簿</source>
        <translation>Export plan workbook</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="354"/>
        <location filename="../../desktop/file_actions.py" line="378"/>
        <source>导入计划工作簿</source>
        <translation>Import plan workbook</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="365"/>
        <source>新计划</source>
        <translation>a new plan</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="365"/>
        <source>新版本</source>
        <translation>a new version</translation>
    </message>
    <message>
        <location filename="../../desktop/file_actions.py" line="368"/>
        <source>已导入%1：%2 第 %3 版（%4 个指标）</source>
        <translation>Imported as %1: %2, version %3 (%4 indicators)</translation>
    </message>
</context>
<context>
    <name>FormMarksDialog</name>
    <message>
        <location filename="../../desktop/dialogs.py" line="262"/>
        <source>报表表头标志</source>
        <translation>Form marks</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="266"/>
        <source>表号</source>
        <translation>Form number</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="267"/>
        <source>制定机关</source>
        <translation>Issued by</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="268"/>
        <source>批准机关</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="269"/>
        <source>批准文号</source>
        <translation>Approval number</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="270"/>
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="282"/>
        <source>这些标志印在本计划所有报表的右上角（Excel 与 PDF）。</source>
        <translation>These marks are printed at the top right of every return of this plan (Excel and PDF).</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../desktop/import_dialog.py" line="57"/>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="58"/>
        <source>修改</source>
        <translation>Changed</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="59"/>
        <source>冲突</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="71"/>
        <source>正在读取文件……</source>
        <translation>Reading files…</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="72"/>
        <location filename="../../desktop/import_dialog.py" line="230"/>
        <location filename="../../desktop/import_dialog.py" line="498"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="89"/>
        <source>正在读取 %1（%2/%3）</source>
        <translation>Reading %1 (%2/%3)</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="124"/>
        <source>导入报表：预览</source>
        <translation>Import returns: preview</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="131"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="132"/>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="133"/>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="134"/>
        <source>原值 → 新值</source>
        <translation>Old → new</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="135"/>
        <location filename="../../desktop/import_dialog.py" line="204"/>
        <source>位置</source>
        <translation>Where</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="152"/>
        <source>按此重新识别</source>
        <translation>Read again as this</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="158"/>
        <source>计划</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="159"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="160"/>
        <source>年份</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="166"/>
        <source>请在上面选择这个文件所属的计划、单位和年份，再点“按此重新识别”。</source>
        <translation>Choose the plan, unit and year of this file above, then click &quot;Read again as this&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="184"/>
        <source>（无，顶级单位）</source>
        <translation>(none, top level)</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="187"/>
        <source>添加该单位并重新读取</source>
        <translation>Add this unit and read again</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="191"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="192"/>
        <source>级别</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="193"/>
        <source>上级单位</source>
        <translation>Parent unit</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="204"/>
        <source>文件中写的</source>
        <translation>As written in the file</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="204"/>
        <source>对应指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="209"/>
        <source>我已核对：外来表格的指标对应关系正确</source>
        <translation>I have checked that the indicators of this foreign sheet are matched correctly</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="229"/>
        <source>导入所选</source>
        <translation>Import selected</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="298"/>
        <source>本数据库中没有单位 %1（%2）。可在此按文件中的代码和名称添加：</source>
        <translation>This database has no unit %1 (%2). Add it here with the code and name from the file:</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="353"/>
        <source>共 %1 个文件，选中 %2 个，将写入 %3 项</source>
        <translation>%1 files, %2 selected, %3 values to write</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="442"/>
        <source>（不导入）</source>
        <translation>(do not import)</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="498"/>
        <source>正在导入……</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="517"/>
        <source>其余文件</source>
        <translation>The remaining files</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="529"/>
        <source>✓ %1：写入 %2 个数值、%3 条说明</source>
        <translation>✓ %1: %2 values and %3 explanations written</translation>
    </message>
    <message>
        <location filename="../../desktop/import_dialog.py" line="535"/>
        <source>没有导入任何文件。</source>
        <translation>No file was imported.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/main_window.py" line="148"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="149"/>
        <source>未填</source>
        <translation>Empty</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="150"/>
        <source>有错误</source>
        <translation>With errors</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="151"/>
        <source>有提示</source>
        <translation>With warnings</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="152"/>
        <source>未达标</source>
        <translation>Not met</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="161"/>
        <source>查找指标（名称或代码）</source>
        <translation>Find indicator (name or code)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="174"/>
        <source>填报</source>
        <translation>Entry</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="178"/>
        <location filename="../../desktop/selftest.py" line="229"/>
        <source>概览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="211"/>
        <source>%1 · %2年 · %3 — 填报 Tianbao</source>
        <translation>%1 · %2 · %3 — Tianbao</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="216"/>
        <source>【演示数据】</source>
        <translation>[DEMO DATA] </translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="226"/>
        <source>%1 · 已填 %2/%3 · 错误 %4 · 待说明 %5</source>
        <translation>%1 · filled %2/%3 · errors %4 · to explain %5</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="358"/>
        <source>修改记录暂时无法读取：%1</source>
        <translation>The history cannot be read for now: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="371"/>
        <source>该报表已报送。如需修改，请先解锁（需填写原因）。</source>
        <translation>This return has been submitted. To change it, unlock it first (a reason is required).</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="386"/>
        <source>请填写：%1</source>
        <translation>Please fill in: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="397"/>
        <source>已报送，报表已锁定。</source>
        <translation>Submitted; the return is locked.</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="410"/>
        <source>无此项数据：%1</source>
        <translation>No data for this item: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="419"/>
        <source>%1 个指标已标为“无此项数据”。</source>
        <translation>%1 indicators marked &quot;no data for this item&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="435"/>
        <source>已解锁，可以修改。</source>
        <translation>Unlocked; it can be changed.</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="452"/>
        <source>已汇总：下级单位 %1/%2 已填报，写入 %3 个数值。</source>
        <translation>Aggregated: %1 of %2 sub-units reported, %3 values written.</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="457"/>
        <source>汇总</source>
        <translation>Aggregate</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="476"/>
        <source>表头标志已保存，将印在本计划的所有报表上。</source>
        <translation>Form marks saved; they are printed on every return of this plan.</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="491"/>
        <source>提示</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="418"/>
        <source>填报分工…</source>
        <translation>Reporting duties…</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="421"/>
        <source>收报情况…</source>
        <translation>Collection progress…</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="424"/>
        <source>导出各单位空白模板…</source>
        <translation>Export blank templates for all units…</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="432"/>
        <source>显示全部指标</source>
        <translation>Show all indicators</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="436"/>
        <source>同时显示由其他单位填报的指标（只读）；默认只显示本单位填报的指标</source>
        <translation>Also show the indicators other units report (read-only); by default only this unit&apos;s own are shown</translation>
    </message>
    <message>
        <location filename="../../desktop/duties_dialog.py" line="460"/>
        <source>本单位没有下级单位和成员单位，也没有上级单位，无需填报分工。请先在“单位管理”中添加乡镇（街道）或成员单位。</source>
        <translation>This unit has no sub-units, member departments or parent: there are no reporting duties to set. Add townships or member departments under Units first.</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <location filename="../../desktop/overview.py" line="61"/>
        <source>领域</source>
        <translation>Domain</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="62"/>
        <source>评估指标</source>
        <translation>Assessed</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="63"/>
        <source>达标</source>
        <translation>Met</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="64"/>
        <source>接近</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="65"/>
        <source>未达标</source>
        <translation>Not met</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="66"/>
        <location filename="../../desktop/overview.py" line="94"/>
        <source>达标率</source>
        <translation>Attainment</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="84"/>
        <source>名次</source>
        <translation>Rank</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="84"/>
        <source>下级单位</source>
        <translation>Sub-unit</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="84"/>
        <source>数值</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="84"/>
        <source>达标情况</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="96"/>
        <source>预警</source>
        <translation>Early warning</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="98"/>
        <source>趋势</source>
        <translation>Trend</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="101"/>
        <source>指标：</source>
        <translation>Indicator:</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="105"/>
        <source>下级单位排名</source>
        <translation>Ranking of sub-units</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="125"/>
        <source>%1 %2年：达标率 %3（应评估 %5 项：达标 %4，接近 %6，无法评估 %9）；预计达标困难 %7 项，波动较大 %8 项</source>
        <translation>%1 %2: attainment %3 (%5 to assess: %4 met, %6 close, %9 cannot be assessed); %7 projected to miss, %8 fluctuating</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="144"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="157"/>
        <source>没有预警指标。</source>
        <translation>No early warnings.</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="199"/>
        <source>实际值</source>
        <translation>Actual</translation>
    </message>
    <message>
        <location filename="../../desktop/overview.py" line="205"/>
        <source>目标</source>
        <translation>Target</translation>
    </message>
</context>
<context>
    <name>PlanDraftDialog</name>
    <message>
        <location filename="../../desktop/plan_draft_model.py" line="39"/>
        <source>待核</source>
        <translation>To review</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_model.py" line="40"/>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_model.py" line="41"/>
        <source>指标</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_model.py" line="42"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_model.py" line="43"/>
        <source>比较</source>
        <translation>Comparison</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_model.py" line="44"/>
        <source>目标值</source>
        <translation>Target value</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_model.py" line="45"/>
        <source>年份</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_model.py" line="46"/>
        <source>每个下级单位</source>
        <translation>Each sub-unit</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_model.py" line="47"/>
        <source>行</source>
        <translation>Line</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_model.py" line="48"/>
        <source>原文</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="77"/>
        <source>从规划文本新建计划</source>
        <translation>New plan from the plan text</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="86"/>
        <source>打开规划文件…</source>
        <translation>Open plan file…</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="88"/>
        <source>粘贴规划正文</source>
        <translation>Paste plan text</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="93"/>
        <source>打开规划的 Word、PDF、网页或文本文件，或粘贴正文。</source>
        <translation>Open the plan&apos;s Word, PDF, web page or text file, or paste its text.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="105"/>
        <source>全部目标</source>
        <translation>All targets</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="105"/>
        <source>量化目标</source>
        <translation>Quantified targets</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="105"/>
        <source>只看待核</source>
        <translation>Only items to review</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="122"/>
        <source>接受</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="123"/>
        <source>认可所选项，取消“待核”</source>
        <translation>Accept the selected items and clear their review mark</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="125"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="127"/>
        <source>下一处待核</source>
        <translation>Next item to review</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="149"/>
        <source>如 xx-county-children（小写字母、数字、连字符）</source>
        <translation>e.g. xx-county-children (lower-case letters, digits, hyphens)</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="152"/>
        <source>计划编号</source>
        <translation>Plan id</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="153"/>
        <source>计划名称</source>
        <translation>Plan title</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="154"/>
        <source>保存为新计划</source>
        <translation>Save as new plan</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="156"/>
        <source>导出计划工作簿…</source>
        <translation>Export plan workbook…</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="158"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="189"/>
        <source>打开规划正文</source>
        <translation>Open plan text</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="199"/>
        <source>未完成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="200"/>
        <source>剪贴板中没有文字。请先在网页或文档中复制规划正文，再点“粘贴规划正文”。</source>
        <translation>The clipboard holds no text. Copy the plan text from the web page or document first, then click “Paste plan text”.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="219"/>
        <source>无法起草</source>
        <translation>Cannot draft</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="263"/>
        <source>（未识别的数字）</source>
        <translation>(number not read)</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="303"/>
        <source>%1：%2 个指标，%3 个目标（量化 %4），还有 %5 处待核。</source>
        <translation>%1: %2 indicators, %3 targets (%4 quantified), %5 items still to review.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="374"/>
        <source>没有待核项了。</source>
        <translation>Nothing left to review.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="411"/>
        <source>已删除 %1 项。</source>
        <translation>%1 item(s) deleted.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="423"/>
        <source>指标名称不能为空。</source>
        <translation>The indicator name cannot be empty.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="430"/>
        <source>比较方式应为 ≤、&lt;、≥、&gt;、≈、区间、变化、年均增长、趋势 或 定性。</source>
        <translation>The comparison must be ≤, &lt;, ≥, &gt;, ≈, range, change, annual growth, trend or qualitative.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="433"/>
        <source>定性目标与量化目标不能互换，请删除后在计划工作簿中添加。</source>
        <translation>A qualitative target cannot become a quantified one (or back); delete it and add it in the plan workbook.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="447"/>
        <source>年份应在规划期 %1—%2 年内，或留空。</source>
        <translation>The year must lie in the plan period %1–%2, or be left empty.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="454"/>
        <source>（未修改）</source>
        <translation> (not changed)</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="457"/>
        <source>已更正。</source>
        <translation>Corrected.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="468"/>
        <source>定性目标没有目标值。</source>
        <translation>A qualitative target has no value.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="478"/>
        <source>“%1”不是数字。</source>
        <translation>“%1” is not a number.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_dialog.py" line="486"/>
        <source>从规划文本新建计划…</source>
        <translation>New plan from plan text…</translation>
    </message>
</context>
<context>
    <name>PlanDraftSaving</name>
    <message>
        <location filename="../../desktop/plan_draft_save.py" line="38"/>
        <location filename="../../desktop/plan_draft_save.py" line="54"/>
        <location filename="../../desktop/plan_draft_save.py" line="74"/>
        <location filename="../../desktop/plan_draft_save.py" line="85"/>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_save.py" line="40"/>
        <source>计划编号只能用小写字母、数字和连字符，以字母开头（如 xx-county-children）。请修改后再保存。</source>
        <translation>A plan id may contain only lower-case letters, digits and hyphens and must start with a letter (e.g. xx-county-children). Correct it and save again.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_save.py" line="57"/>
        <source>还有 %1 处待核。请逐项“接受”、在表格中更正或“删除”后再保存；也可以“导出计划工作簿”在 Excel 中继续完成。</source>
        <translation>%1 items are still to review. Accept, correct (in the table) or delete each one, then save; or export the plan workbook and finish in Excel.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_save.py" line="77"/>
        <source>已有编号为 %1 的计划。新计划请换一个编号；修改已有计划请用“导入计划工作簿”。</source>
        <translation>A plan with the id %1 exists. Give the new plan another id; to change an existing plan, import a plan workbook.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_save.py" line="90"/>
        <source>从规划文本新建计划</source>
        <translation>New plan from the plan text</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_save.py" line="92"/>
        <source>已保存新计划：%1（%2，%3 个指标）。可在“切换报表”中选用。</source>
        <translation>New plan saved: %1 (%2, %3 indicators). Choose it under “Switch return”.</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_save.py" line="110"/>
        <source>导出计划工作簿</source>
        <translation>Export plan workbook</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_save.py" line="117"/>
        <source>未完成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <location filename="../../desktop/plan_draft_save.py" line="119"/>
        <source>已导出：%1（“待核”写在说明中）</source>
        <translation>Exported: %1 (items to review are marked in the notes)</translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <location filename="../../desktop/progress_view.py" line="37"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="38"/>
        <source>类别</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="39"/>
        <source>应报</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="40"/>
        <source>已填</source>
        <translation>Filled</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="41"/>
        <source>错误</source>
        <translation>Errors</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="42"/>
        <source>待说明</source>
        <translation>To explain</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="43"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="44"/>
        <source>报送时间</source>
        <translation>Submitted at</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="45"/>
        <source>导入时间</source>
        <translation>Imported at</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="46"/>
        <source>导入文件</source>
        <translation>Imported file</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="47"/>
        <source>文件 SHA-256</source>
        <translation>File SHA-256</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="48"/>
        <source>校验码</source>
        <translation>Fingerprint</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="49"/>
        <source>尚缺指标</source>
        <translation>Still missing</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="52"/>
        <source>未报</source>
        <translation>Not reported</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="53"/>
        <source>填报中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="54"/>
        <source>已报送</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="76"/>
        <source>收报情况</source>
        <translation>Collection progress</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="92"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="94"/>
        <source>导出催报表…</source>
        <translation>Export reminder sheet…</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="95"/>
        <source>收报情况表（xlsx），发给未报送的单位催报</source>
        <translation>The collection progress sheet (xlsx), to send to the units that are late</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="97"/>
        <source>导出各单位空白模板…</source>
        <translation>Export blank templates for all units…</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="99"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="127"/>
        <source>%1 %2年“%3”：应报 %4 个单位，已报送 %5 个。</source>
        <translation>%1, %2, “%3”: %4 units to report, %5 submitted.</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="135"/>
        <source>（本级尚未确定填报分工，按默认分工列出）</source>
        <translation> (reporting duties not set yet: listed by the defaults)</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="139"/>
        <source>未报送：%1</source>
        <translation>Not submitted: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="145"/>
        <source>成员单位</source>
        <translation>Member department</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="145"/>
        <source>下级单位</source>
        <translation>Sub-unit</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="173"/>
        <source>导出收报情况表</source>
        <translation>Export collection progress</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="175"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="187"/>
        <source>已导出：%1</source>
        <translation>Exported: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="194"/>
        <source>已为 %1 个单位导出空白模板。</source>
        <translation>Blank templates exported for %1 units.</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="204"/>
        <source>选择保存各单位空白模板的文件夹</source>
        <translation>Choose the folder for the units&apos; blank templates</translation>
    </message>
    <message>
        <location filename="../../desktop/progress_view.py" line="218"/>
        <source>已为 %1 个单位导出空白模板到 %2</source>
        <translation>Blank templates for %1 units exported to %2</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../desktop/dialogs.py" line="87"/>
        <source>解锁报表</source>
        <translation>Unlock return</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="89"/>
        <source>请填写解锁原因（将记入修改记录）</source>
        <translation>Why is the return unlocked? (kept in the history)</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="96"/>
        <source>解锁原因</source>
        <translation>Reason for unlocking</translation>
    </message>
</context>
<context>
    <name>Saver</name>
    <message>
        <location filename="../../desktop/saving.py" line="104"/>
        <source>已采用对方的值。</source>
        <translation>Their value was taken.</translation>
    </message>
    <message>
        <location filename="../../desktop/saving.py" line="130"/>
        <source>未保存：%1 已保留在表格中（标为“未保存”），程序每 5 秒自动重试。</source>
        <translation>Not saved: %1 is kept in the grid (marked &quot;not saved&quot;); the program retries every 5 seconds.</translation>
    </message>
    <message>
        <location filename="../../desktop/saving.py" line="171"/>
        <source>已重新保存，全部内容均已存入数据库。</source>
        <translation>Saved again; everything is in the database.</translation>
    </message>
    <message>
        <location filename="../../desktop/saving.py" line="190"/>
        <source>已显示其他用户的最新修改。</source>
        <translation>Showing the other user&apos;s latest change.</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <location filename="../../desktop/server_dialog.py" line="66"/>
        <source>连接服务器</source>
        <translation>Connect to server</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="69"/>
        <source>服务器地址，如 192.168.1.10</source>
        <translation>Server address, e.g. 192.168.1.10</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="77"/>
        <source>不保存在设置中</source>
        <translation>not stored in the settings</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="78"/>
        <source>记住密码（保存在系统钥匙串中）</source>
        <translation>Remember the password (in the system keyring)</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="82"/>
        <source>多台电脑共用一个 PostgreSQL 数据库。密码不会写入设置文件；也可以使用 pgpass 或服务文件。</source>
        <translation>Several PCs share one PostgreSQL database. The password is never written to the settings file; pgpass or a service file can be used too.</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="88"/>
        <source>测试连接</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="91"/>
        <source>服务器</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="92"/>
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="93"/>
        <source>数据库</source>
        <translation>Database</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="94"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="95"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="100"/>
        <source>连接</source>
        <translation>Connect</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="101"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="129"/>
        <source>请填写服务器地址和数据库名称。</source>
        <translation>Fill in the server address and the database name.</translation>
    </message>
    <message>
        <location filename="../../desktop/server_dialog.py" line="143"/>
        <source>连接成功。</source>
        <translation>Connected.</translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <location filename="../../desktop/side_panel.py" line="33"/>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="66"/>
        <source>对本指标的提示作出说明，例如数据变动的原因……</source>
        <translation>Explain the warnings of this indicator, e.g. why the figure changed…</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="67"/>
        <source>保存说明</source>
        <translation>Save explanation</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="71"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="71"/>
        <source>原值 → 新值</source>
        <translation>Old → new</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="71"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="71"/>
        <source>操作人</source>
        <translation>User</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="81"/>
        <source>审核结果</source>
        <translation>Check results</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="83"/>
        <source>情况说明</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="91"/>
        <source>基期值</source>
        <translation>Base value</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="92"/>
        <source>保存基期值</source>
        <translation>Save base value</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="101"/>
        <source>修改记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="110"/>
        <source>选择一个指标</source>
        <translation>Select an indicator</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="126"/>
        <source>%1年基期值</source>
        <translation>Base value (%1)</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="141"/>
        <source>错误</source>
        <translation>Errors</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="141"/>
        <source>提示</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="146"/>
        <source>达标情况：%1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/side_panel.py" line="151"/>
        <source>数据来源：%1</source>
        <translation>Source: %1</translation>
    </message>
</context>
<context>
    <name>SignOffDialog</name>
    <message>
        <location filename="../../desktop/dialogs.py" line="38"/>
        <source>签署并报送</source>
        <translation>Sign and submit</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="49"/>
        <source>单位负责人</source>
        <translation>Head of unit</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="50"/>
        <source>统计负责人</source>
        <translation>Head of statistics</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="51"/>
        <source>填表人</source>
        <translation>Filled in by</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="52"/>
        <source>联系电话</source>
        <translation>Telephone</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="53"/>
        <source>报出日期</source>
        <translation>Date reported</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="54"/>
        <source>报送后报表将被锁定；如需修改，须填写原因解锁。</source>
        <translation>Submitting locks the return; to change it later, unlock it with a reason.</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="59"/>
        <source>报送</source>
        <translation>Submit</translation>
    </message>
    <message>
        <location filename="../../desktop/dialogs.py" line="60"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>StartDialog</name>
    <message>
        <location filename="../../desktop/start.py" line="51"/>
        <location filename="../../desktop/start.py" line="138"/>
        <source>选择报表</source>
        <translation>Choose a return</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="53"/>
        <source>我的数据</source>
        <translation>My data</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="54"/>
        <source>演示数据</source>
        <translation>Demo data</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="55"/>
        <source>打开其他数据库文件…</source>
        <translation>Open another database file…</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="56"/>
        <source>演示数据单独保存，不会与本单位的真实数据混在一起</source>
        <translation>The demo data is kept in its own file, never mixed with the unit&apos;s real data</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="67"/>
        <source>打开演示数据</source>
        <translation>Open the demonstration data</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="69"/>
        <source>一个演示区：11 个乡镇（街道）、6 个成员单位、三年的数据；单独保存</source>
        <translation>A demo district: 11 townships, 6 member departments, three years of data; kept apart</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="72"/>
        <source>导入计划工作簿…</source>
        <translation>Import plan workbook…</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="74"/>
        <source>本地目标与内置计划不同时，导入在 Excel 中编辑过的计划工作簿</source>
        <translation>Where local targets differ from the built-in plan, import a plan workbook edited in Excel</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="77"/>
        <source>单位管理…</source>
        <translation>Manage units…</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="78"/>
        <source>添加本单位及下级单位、成员单位</source>
        <translation>Add your unit, its sub-units and member departments</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="80"/>
        <source>连接服务器…</source>
        <translation>Connect to server…</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="81"/>
        <source>多台电脑共用一个数据库（PostgreSQL 服务器）</source>
        <translation>Several PCs share one database (PostgreSQL server)</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="86"/>
        <source>数据</source>
        <translation>Data</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="88"/>
        <source>计划</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="89"/>
        <source>填报单位</source>
        <translation>Reporting unit</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="90"/>
        <source>年份</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="95"/>
        <source>记入每一条修改记录的姓名（默认为本机登录名）</source>
        <translation>The name recorded with every change (by default the login name)</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="96"/>
        <source>填报人</source>
        <translation>Filled in by</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="100"/>
        <source>开始填报</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="101"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="106"/>
        <source>请选择要填报的计划、单位和年份。</source>
        <translation>Choose the plan, the reporting unit and the year.</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="134"/>
        <source>演示数据（%1）：只供试用，请不要在这里填写本单位的真实数据。</source>
        <translation>Demo data (%1): for trying out only; do not enter the unit&apos;s real data here.</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="139"/>
        <source>【演示数据】</source>
        <translation>[DEMO DATA] </translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="152"/>
        <source>打开数据库文件</source>
        <translation>Open database file</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="154"/>
        <source>Tianbao 数据库 (*.sqlite *.db);;所有文件 (*)</source>
        <translation>Tianbao database (*.sqlite *.db);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="228"/>
        <source>还没有填报单位：请在“单位管理”中添加，或点击“打开演示数据”先看一看。</source>
        <translation>No reporting units yet: add them under &quot;Manage units&quot;, or open the demonstration data to look around.</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="256"/>
        <source>导入计划工作簿</source>
        <translation>Import plan workbook</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="268"/>
        <source>新版本</source>
        <translation>a new version</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="268"/>
        <source>新计划</source>
        <translation>a new plan</translation>
    </message>
    <message>
        <location filename="../../desktop/start.py" line="270"/>
        <source>已导入%1：%2 第 %3 版</source>
        <translation>Imported as %1: %2, version %3</translation>
    </message>
</context>
<context>
    <name>UnitsDialog</name>
    <message>
        <location filename="../../desktop/units.py" line="57"/>
        <source>单位管理</source>
        <translation>Units</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="59"/>
        <location filename="../../desktop/units.py" line="90"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="59"/>
        <location filename="../../desktop/units.py" line="89"/>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="59"/>
        <location filename="../../desktop/units.py" line="91"/>
        <source>级别</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="70"/>
        <source>添加为所选单位的下级</source>
        <translation>Add under selected unit</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="72"/>
        <source>添加为顶级单位</source>
        <translation>Add as top-level unit</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="74"/>
        <source>保存对所选单位的修改</source>
        <translation>Save changes to the selected unit</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="75"/>
        <source>修改所选单位的代码、名称、级别和上级单位</source>
        <translation>Change the selected unit&apos;s code, name, level and parent</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="77"/>
        <source>删除所选单位</source>
        <translation>Delete selected unit</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="79"/>
        <source>从文件导入…</source>
        <translation>Import from file…</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="81"/>
        <source>xlsx 或 csv：代码、名称、级别、上级代码；全部导入或全不导入</source>
        <translation>xlsx or csv: code, name, level, parent code; all or nothing</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="84"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="92"/>
        <source>上级单位</source>
        <translation>Parent unit</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="129"/>
        <source>已显示其他用户对单位的最新修改。</source>
        <translation>Showing other users&apos; latest changes to the units.</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="146"/>
        <source>（无，顶级单位）</source>
        <translation>(none, top level)</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="173"/>
        <source>已选择“%1”。点击“添加为所选单位的下级”把正在填写的单位加在它下面。</source>
        <translation>Selected &quot;%1&quot;. Click &quot;Add under the selected unit&quot; to add the unit being typed below it.</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="192"/>
        <source>单位已被其他用户修改</source>
        <translation>The unit was changed by another user</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="193"/>
        <source>是否重新载入单位列表？正在填写的内容会保留。</source>
        <translation>Reload the list of units? What you are typing is kept.</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="201"/>
        <source>已重新载入单位列表，显示的是对方的修改；您的修改未保存。</source>
        <translation>The list of units was reloaded and shows the other user&apos;s change; your change was not saved.</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="224"/>
        <source>请先在上面选择上级单位，或点击“添加为顶级单位”。</source>
        <translation>Select the parent unit above first, or click &quot;Add as top-level unit&quot;.</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="238"/>
        <location filename="../../desktop/units.py" line="259"/>
        <location filename="../../desktop/units.py" line="276"/>
        <source>请先选择一个单位。</source>
        <translation>Select a unit first.</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="287"/>
        <source>删除单位</source>
        <translation>Delete unit</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="290"/>
        <source>“%1”在填报分工中负责填报 %2 个指标。删除后这些指标改按默认分工填报（可在“填报分工”中重新指定），并记入填报分工的修改记录。确定删除吗？</source>
        <translation>“%1” reports %2 indicators in the division of reporting duties. Once it is deleted they follow the default division (you can assign them again under Reporting duties), and each change is recorded in the duties history. Delete it?</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="300"/>
        <source>未删除。</source>
        <translation>Not deleted.</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="309"/>
        <source>导入单位</source>
        <translation>Import units</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="309"/>
        <source>单位表 (*.xlsx *.xls *.ods *.csv)</source>
        <translation>Unit list (*.xlsx *.xls *.ods *.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/units.py" line="326"/>
        <source>已导入 %1 个单位。</source>
        <translation>%1 units imported.</translation>
    </message>
</context>
<context>
    <name>WindowFind</name>
    <message>
        <location filename="../../desktop/window_find.py" line="51"/>
        <source>没有找到“%1”</source>
        <translation>Nothing found for &quot;%1&quot;</translation>
    </message>
    <message>
        <location filename="../../desktop/window_find.py" line="57"/>
        <source>第 %1/%2 个：%3（F3 查找下一个）</source>
        <translation>Match %1/%2: %3 (F3 finds the next)</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <location filename="../../desktop/window_menus.py" line="27"/>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="29"/>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="31"/>
        <source>查找指标</source>
        <translation>Find indicator</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="33"/>
        <source>查找下一个</source>
        <translation>Find next</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="35"/>
        <source>签署并报送…</source>
        <translation>Sign and submit…</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="37"/>
        <source>下一个领域</source>
        <translation>Next domain</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="40"/>
        <source>上一个领域</source>
        <translation>Previous domain</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="42"/>
        <source>解锁…</source>
        <translation>Unlock…</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="43"/>
        <source>由下级报表汇总</source>
        <translation>Aggregate from sub-units</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="44"/>
        <source>表头标志…</source>
        <translation>Form marks…</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="45"/>
        <source>切换报表…</source>
        <translation>Switch return…</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="46"/>
        <source>连接服务器…</source>
        <translation>Connect to server…</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="47"/>
        <source>单位管理…</source>
        <translation>Manage units…</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="48"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="51"/>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="63"/>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="73"/>
        <source>报表(&amp;R)</source>
        <translation>&amp;Return</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="79"/>
        <source>单位(&amp;U)</source>
        <translation>&amp;Units</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="81"/>
        <source>语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="89"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="95"/>
        <source>筛选：</source>
        <translation>Filter:</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="125"/>
        <source>复制</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="128"/>
        <source>粘贴</source>
        <translation>Paste</translation>
    </message>
    <message>
        <location filename="../../desktop/window_menus.py" line="131"/>
        <source>清除所选格</source>
        <translation>Clear selected cells</translation>
    </message>
</context>
</TS>
