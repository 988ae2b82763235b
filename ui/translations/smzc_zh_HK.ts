<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_HK" sourcelanguage="zh_CN">
<context>
    <name>smzc::ui::ApplicationsScreen</name>
    <message>
        <location filename="../screens/applications_screen.cpp" line="12"/>
        <source>办理进度</source>
        <translation>辦理進度</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="15"/>
        <source>暂无办理记录</source>
        <translation>暫無辦理記錄</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="20"/>
        <source>返回首页</source>
        <translation>返回首頁</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="48"/>
        <source>已通过</source>
        <translation>已通過</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="49"/>
        <source>已通过，证照已打印</source>
        <translation>已通過，證照已打印</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="50"/>
        <source>已通过，证照可在本机打印</source>
        <translation>已通過，證照可在本機打印</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="51"/>
        <source>已通过，刷身份证后可在本机打印证照</source>
        <translation>已通過，刷身份證後可在本機打印證照</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="53"/>
        <source>未通过</source>
        <translation>未通過</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="55"/>
        <source>审核中，结果将以短信通知</source>
        <translation>審核中，結果將以短訊通知</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="61"/>
        <source>申请编号 %1</source>
        <translation>申請編號 %1</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="69"/>
        <source>打印证照</source>
        <translation>打印證照</translation>
    </message>
</context>
<context>
    <name>smzc::ui::AttractScreen</name>
    <message>
        <location filename="../screens/attract_screen.cpp" line="6"/>
        <source>欢迎使用市民之窗</source>
        <translation>歡迎使用市民之窗</translation>
    </message>
    <message>
        <location filename="../screens/attract_screen.cpp" line="7"/>
        <source>社保凭证、不动产、营业执照……秒办秒批秒打证</source>
        <translation>社保憑證、不動產、營業執照……秒辦秒批秒打證</translation>
    </message>
    <message>
        <location filename="../screens/attract_screen.cpp" line="13"/>
        <source>开始办理</source>
        <translation>開始辦理</translation>
    </message>
    <message>
        <location filename="../screens/attract_screen.cpp" line="18"/>
        <source>出示电子身份码</source>
        <translation>出示電子身份碼</translation>
    </message>
    <message>
        <location filename="../screens/attract_screen.cpp" line="22"/>
        <source>核验证照真伪</source>
        <translation>核驗證照真偽</translation>
    </message>
    <message>
        <location filename="../screens/attract_screen.cpp" line="26"/>
        <source>办理进度查询</source>
        <translation>辦理進度查詢</translation>
    </message>
</context>
<context>
    <name>smzc::ui::CameraScreen</name>
    <message>
        <location filename="../screens/camera_screen.cpp" line="24"/>
        <source>返回首页</source>
        <translation>返回首頁</translation>
    </message>
</context>
<context>
    <name>smzc::ui::CapturedScreen</name>
    <message>
        <location filename="../screens/captured_screen.cpp" line="8"/>
        <source>请确认材料清晰完整</source>
        <translation>請確認材料清晰完整</translation>
    </message>
    <message>
        <location filename="../screens/captured_screen.cpp" line="16"/>
        <source>使用此页</source>
        <translation>使用此頁</translation>
    </message>
    <message>
        <location filename="../screens/captured_screen.cpp" line="20"/>
        <source>重新拍摄</source>
        <translation>重新拍攝</translation>
    </message>
</context>
<context>
    <name>smzc::ui::ConfirmScreen</name>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="8"/>
        <source>请确认申请内容</source>
        <translation>請確認申請內容</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="21"/>
        <source>确认提交</source>
        <translation>確認提交</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="25"/>
        <source>返回修改</source>
        <translation>返回修改</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="49"/>
        <location filename="../screens/confirm_screen.cpp" line="60"/>
        <source>%1：%2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="50"/>
        <source>（未填）</source>
        <translation>（未填）</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="58"/>
        <source>%1：由平台调取电子证照（免提交）</source>
        <translation>%1：由平台調取電子證照（免提交）</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="60"/>
        <source>已拍摄</source>
        <translation>已拍攝</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="60"/>
        <source>未拍摄</source>
        <translation>未拍攝</translation>
    </message>
</context>
<context>
    <name>smzc::ui::DoneScreen</name>
    <message>
        <location filename="../screens/done_screen.cpp" line="6"/>
        <source>办理完成，请取走证照和身份证</source>
        <translation>辦理完成，請取走證照和身份證</translation>
    </message>
    <message>
        <location filename="../screens/done_screen.cpp" line="9"/>
        <source>请取走您的身份证</source>
        <translation>請取走您的身份證</translation>
    </message>
    <message>
        <location filename="../screens/done_screen.cpp" line="13"/>
        <source>请取走出纸口的证照，以免遗留</source>
        <translation>請取走出紙口的證照，以免遺留</translation>
    </message>
    <message>
        <location filename="../screens/done_screen.cpp" line="25"/>
        <source>完成</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>smzc::ui::FindApplicationScreen</name>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="9"/>
        <source>办理进度查询</source>
        <translation>辦理進度查詢</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="10"/>
        <source>刷身份证：查看您的全部办件，并打印已审批通过的证照</source>
        <translation>刷身份證：查看您的全部辦件，並打印已審批通過的證照</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="11"/>
        <source>刷身份证查询</source>
        <translation>刷身份證查詢</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="15"/>
        <source>或输入回执、短信上的申请编号</source>
        <translation>或輸入回執、短訊上的申請編號</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="21"/>
        <source>未找到该申请编号，请核对后重新输入</source>
        <translation>未找到該申請編號，請核對後重新輸入</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="25"/>
        <source>暂时无法查询，请稍后重试</source>
        <translation>暫時無法查詢，請稍後重試</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="29"/>
        <source>按编号查询</source>
        <translation>按編號查詢</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="40"/>
        <source>返回首页</source>
        <translation>返回首頁</translation>
    </message>
</context>
<context>
    <name>smzc::ui::FormScreen</name>
    <message>
        <location filename="../screens/form_screen.cpp" line="15"/>
        <source>请核对并填写申请信息</source>
        <translation>請核對並填寫申請信息</translation>
    </message>
    <message>
        <location filename="../screens/form_screen.cpp" line="23"/>
        <source>提交申请</source>
        <translation>提交申請</translation>
    </message>
    <message>
        <location filename="../screens/form_screen.cpp" line="27"/>
        <source>返回事项列表</source>
        <translation>返回事項列表</translation>
    </message>
    <message>
        <location filename="../screens/form_screen.cpp" line="98"/>
        <source>拍摄材料：%1</source>
        <translation>拍攝材料：%1</translation>
    </message>
</context>
<context>
    <name>smzc::ui::ItemsScreen</name>
    <message>
        <location filename="../screens/items_screen.cpp" line="44"/>
        <source>请选择办理事项</source>
        <translation>請選擇辦理事項</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="53"/>
        <source>全部事项</source>
        <translation>全部事項</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="54"/>
        <source>本地</source>
        <translation>本地</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="55"/>
        <source>跨城通办</source>
        <translation>跨城通辦</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="56"/>
        <source>跨省通办</source>
        <translation>跨省通辦</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="57"/>
        <source>湾区通办</source>
        <translation>灣區通辦</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="89"/>
        <source>没有找到相符的事项，请换个说法或选择“全部事项”</source>
        <translation>沒有找到相符的事項，請換個說法或選擇「全部事項」</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="101"/>
        <source>退出</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="145"/>
        <source>全部类别</source>
        <translation>全部類別</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="168"/>
        <source>（网络中断，部分事项可能暂不可办）</source>
        <translation>（網絡中斷，部分事項可能暫不可辦）</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="170"/>
        <source>搜索事项名称</source>
        <translation>搜尋事項名稱</translation>
    </message>
</context>
<context>
    <name>smzc::ui::Journey</name>
    <message>
        <location filename="../journey.cpp" line="290"/>
        <location filename="../journey.cpp" line="529"/>
        <source>请将手机上的电子身份码对准摄像头</source>
        <translation>請將手機上的電子身份碼對準攝像頭</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="297"/>
        <source>请将证照上的二维码对准摄像头</source>
        <translation>請將證照上的二維碼對準攝像頭</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="306"/>
        <source>暂时无法核验</source>
        <translation>暫時無法核驗</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="306"/>
        <source>请稍后再试，或到服务窗口核验</source>
        <translation>請稍後再試，或到服務窗口核驗</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="319"/>
        <source>未能完成身份核验</source>
        <translation>未能完成身份核驗</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="322"/>
        <location filename="../journey.cpp" line="534"/>
        <source>您好，%1（%2 %3）</source>
        <translation>您好，%1（%2 %3）</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="222"/>
        <location filename="../journey.cpp" line="332"/>
        <source>暂时无法连接政务服务平台</source>
        <translation>暫時無法連接政務服務平台</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="222"/>
        <location filename="../journey.cpp" line="332"/>
        <source>请稍后重试</source>
        <translation>請稍後重試</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="278"/>
        <source>人脸核验：请本人正对摄像头，按提示动作</source>
        <translation>人臉核驗：請本人正對攝像頭，按提示動作</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="344"/>
        <source>（办理时间 %1）</source>
        <translation>（辦理時間 %1）</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="348"/>
        <source>（%1）</source>
        <translation>（%1）</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="356"/>
        <source>请将材料放入扫描仪，或平放在拍摄区</source>
        <translation>請將材料放入掃描儀，或平放在拍攝區</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="427"/>
        <source>证照编号 %1</source>
        <translation>證照編號 %1</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="431"/>
        <source>结果将以邮政快递(包邮)寄送</source>
        <translation>結果將以郵政快遞(包郵)寄送</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="431"/>
        <source>结果将以短信通知</source>
        <translation>結果將以短信通知</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="433"/>
        <source>申请编号 %1，%2</source>
        <translation>申請編號 %1，%2</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="445"/>
        <source>申请未通过</source>
        <translation>申請未通過</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="450"/>
        <source>申请材料不全</source>
        <translation>申請材料不全</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="456"/>
        <source>办理未完成</source>
        <translation>辦理未完成</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="494"/>
        <source>读卡器暂不可用，需要身份证的事项暂停办理</source>
        <translation>讀卡器暫不可用，需要身份證的事項暫停辦理</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="496"/>
        <source>%1，需要打印的事项暂停办理</source>
        <translation>%1，需要打印的事項暫停辦理</translation>
    </message>
</context>
<context>
    <name>smzc::ui::KioskWindow</name>
    <message>
        <location filename="../kiosk_window.cpp" line="59"/>
        <source>市民之窗  ·  政务服务自助终端</source>
        <translation>市民之窗  ·  政務服務自助終端</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="74"/>
        <location filename="../kiosk_window.cpp" line="151"/>
        <source>语音播报</source>
        <translation>語音播報</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="151"/>
        <source>关闭语音</source>
        <translation>關閉語音</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="78"/>
        <location filename="../kiosk_window.cpp" line="145"/>
        <source>长辈模式</source>
        <translation>長輩模式</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="109"/>
        <source>您还在办理吗？</source>
        <translation>您還在辦理嗎？</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="114"/>
        <source>返回首页时，您填写的信息将被清除</source>
        <translation>返回首頁時，您填寫的信息將被清除</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="116"/>
        <source>继续办理</source>
        <translation>繼續辦理</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="145"/>
        <source>标准模式</source>
        <translation>標準模式</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="190"/>
        <source>政银合作服务点</source>
        <translation>政銀合作服務點</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="190"/>
        <source>%1 · 政银合作服务点</source>
        <translation>%1 · 政銀合作服務點</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="192"/>
        <source>异地通办服务点</source>
        <translation>異地通辦服務點</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="192"/>
        <source>%1 · 异地通办服务点</source>
        <translation>%1 · 異地通辦服務點</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="210"/>
        <source>%1 秒后将返回首页</source>
        <translation>%1 秒後將返回首頁</translation>
    </message>
</context>
<context>
    <name>smzc::ui::MessageScreen</name>
    <message>
        <location filename="../screens/message_screen.cpp" line="17"/>
        <source>返回首页</source>
        <translation>返回首頁</translation>
    </message>
</context>
<context>
    <name>smzc::ui::Messages</name>
    <message>
        <location filename="../messages.cpp" line="23"/>
        <source>证照真实有效</source>
        <translation>證照真實有效</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="24"/>
        <source>出具部门的签章密钥已作废，此证照不能采信</source>
        <translation>出具部門的簽章密鑰已作廢，此證照不能採信</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="25"/>
        <source>无法确认出具部门，此证照不能采信</source>
        <translation>無法確認出具部門，此證照不能採信</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="26"/>
        <source>证照内容与二维码不符，可能已被篡改</source>
        <translation>證照內容與二維碼不符，可能已被篡改</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="27"/>
        <source>二维码签名不符，此证照可能系伪造</source>
        <translation>二維碼簽名不符，此證照可能系偽造</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="28"/>
        <source>这不是市民之窗证照的核验码</source>
        <translation>這不是市民之窗證照的核驗碼</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="41"/>
        <source>请到服务窗口人工核验</source>
        <translation>請到服務窗口人工核驗</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="43"/>
        <source>编号：%1</source>
        <translation>編號：%1</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="44"/>
        <source>出具时间：%1</source>
        <translation>出具時間：%1</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="45"/>
        <source>补打：第 %1 次</source>
        <translation>補打：第 %1 次</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="47"/>
        <source>请核对纸面内容与以上信息一致</source>
        <translation>請核對紙面內容與以上信息一致</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="52"/>
        <source>打印纸已用完</source>
        <translation>打印紙已用完</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="53"/>
        <source>打印机卡纸</source>
        <translation>打印機卡紙</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="54"/>
        <source>打印机盖未关好</source>
        <translation>打印機蓋未關好</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="55"/>
        <source>打印机门未关好</source>
        <translation>打印機門未關好</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="56"/>
        <source>打印机纸盒缺失</source>
        <translation>打印機紙盒缺失</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="57"/>
        <source>出证口已满，请先取走证照</source>
        <translation>出證口已滿，請先取走證照</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="59"/>
        <source>打印机耗材已用完</source>
        <translation>打印機耗材已用完</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="60"/>
        <source>打印机离线</source>
        <translation>打印機離線</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="61"/>
        <source>打印机已暂停</source>
        <translation>打印機已暫停</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="62"/>
        <source>打印机已关闭</source>
        <translation>打印機已關閉</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="63"/>
        <source>打印机暂时无法使用</source>
        <translation>打印機暫時無法使用</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="69"/>
        <source>读卡器暂不可用</source>
        <translation>讀卡器暫不可用</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="71"/>
        <source>打印机暂不可用</source>
        <translation>打印機暫不可用</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="73"/>
        <source>摄像头暂不可用</source>
        <translation>攝像頭暫不可用</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="75"/>
        <source>扫描仪暂不可用</source>
        <translation>掃描儀暫不可用</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="77"/>
        <source>设备暂不可用</source>
        <translation>設備暫不可用</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="85"/>
        <source>打印机暂时无法连接</source>
        <translation>打印機暫時無法連接</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="95"/>
        <source>%1：必填</source>
        <translation>%1：必填</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="97"/>
        <source>%1：格式不正确</source>
        <translation>%1：格式不正確</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="99"/>
        <source>电子证照库未找到%1，请扫描纸质材料</source>
        <translation>電子證照庫未找到%1，請掃描紙質材料</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="101"/>
        <source>请扫描：%1</source>
        <translation>請掃描：%1</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="110"/>
        <source>读取身份证</source>
        <translation>讀取身份證</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="112"/>
        <source>识别电子身份码</source>
        <translation>識別電子身份碼</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="114"/>
        <source>核验身份</source>
        <translation>核驗身份</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="116"/>
        <source>人脸核验</source>
        <translation>人臉核驗</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="118"/>
        <source>拍摄材料</source>
        <translation>拍攝材料</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="120"/>
        <source>核对申请信息</source>
        <translation>核對申請信息</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="122"/>
        <source>调取申请材料</source>
        <translation>調取申請材料</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="124"/>
        <source>提交申请</source>
        <translation>提交申請</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="126"/>
        <source>智能审批</source>
        <translation>智能審批</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="128"/>
        <source>获取证照</source>
        <translation>獲取證照</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="130"/>
        <source>核验证照</source>
        <translation>核驗證照</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="132"/>
        <source>生成文书</source>
        <translation>生成文書</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="134"/>
        <source>打印证照</source>
        <translation>打印證照</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="142"/>
        <source>居民身份证</source>
        <translation>居民身份證</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="144"/>
        <source>港澳台居民居住证</source>
        <translation>港澳台居民居住證</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="146"/>
        <source>外国人永久居留证</source>
        <translation>外國人永久居留證</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="148"/>
        <source>外国人永久居留身份证</source>
        <translation>外國人永久居留身份證</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="150"/>
        <source>身份证件</source>
        <translation>身份證件</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="157"/>
        <source>很好，请保持</source>
        <translation>很好，請保持</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="159"/>
        <source>请正对摄像头</source>
        <translation>請正對攝像頭</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="161"/>
        <source>请仅申请人本人面对摄像头</source>
        <translation>請僅申請人本人面對攝像頭</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="163"/>
        <source>请靠近一些</source>
        <translation>請靠近一些</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="165"/>
        <source>请移到画面中间</source>
        <translation>請移到畫面中間</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="167"/>
        <source>光线太暗</source>
        <translation>光線太暗</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="169"/>
        <source>光线太强</source>
        <translation>光線太強</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="171"/>
        <source>请保持不动</source>
        <translation>請保持不動</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="173"/>
        <source>请本人面对摄像头，不要使用照片</source>
        <translation>請本人面對攝像頭，不要使用照片</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="175"/>
        <source>请将材料平放在拍摄区</source>
        <translation>請將材料平放在拍攝區</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="177"/>
        <source>请将整页材料放入拍摄区</source>
        <translation>請將整頁材料放入拍攝區</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="179"/>
        <source>材料反光，请调整角度</source>
        <translation>材料反光，請調整角度</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="181"/>
        <source>请正视摄像头，不要侧头或低头</source>
        <translation>請正視攝像頭，不要側頭或低頭</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="183"/>
        <source>请睁开眼睛</source>
        <translation>請睜開眼睛</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="185"/>
        <source>请缓慢向左转头</source>
        <translation>請緩慢向左轉頭</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="187"/>
        <source>请缓慢向右转头</source>
        <translation>請緩慢向右轉頭</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="189"/>
        <source>请点点头</source>
        <translation>請點點頭</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="191"/>
        <source>请眨眨眼</source>
        <translation>請眨眨眼</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="193"/>
        <source>请张张嘴</source>
        <translation>請張張嘴</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="195"/>
        <source>未能核验，请再试一次</source>
        <translation>未能核驗，請再試一次</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="208"/>
        <source>未能读取身份证，请重新放置</source>
        <translation>未能讀取身份證，請重新放置</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="210"/>
        <source>读卡器暂不可用，请稍后再试或联系工作人员</source>
        <translation>讀卡器暫不可用，請稍後再試或聯繫工作人員</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="212"/>
        <source>身份核验未通过，请联系工作人员</source>
        <translation>身份核驗未通過，請聯繫工作人員</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="214"/>
        <source>暂时无法核验身份，请稍后重试</source>
        <translation>暫時無法核驗身份，請稍後重試</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="216"/>
        <source>政务服务平台暂时无法连接，本次未办理成功，请稍后重试</source>
        <translation>政務服務平台暫時無法連接，本次未辦理成功，請稍後重試</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="218"/>
        <source>政务服务平台返回异常，本次未办理成功，请稍后重试或联系工作人员</source>
        <translation>政務服務平台返回異常，本次未辦理成功，請稍後重試或聯繫工作人員</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="220"/>
        <source>网络暂时不可用，申请未提交，请稍后重试</source>
        <translation>網絡暫時不可用，申請未提交，請稍後重試</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="223"/>
        <source>网络暂时不可用，申请已在本机加密暂存（编号 %1），恢复后自动提交，结果将以短信通知</source>
        <translation>網絡暫時不可用，申請已在本機加密暫存（編號 %1），恢復後自動提交，結果將以短信通知</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="226"/>
        <source>申请已提交，编号 %1，审批结果将以短信通知</source>
        <translation>申請已提交，編號 %1，審批結果將以短信通知</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="228"/>
        <source>该事项办理时间为 %1，请在办理时间内再来</source>
        <translation>該事項辦理時間為 %1，請在辦理時間內再來</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="230"/>
        <source>申请已受理（编号 %1），证照暂未取得，请勿重复申请，请联系工作人员</source>
        <translation>申請已受理（編號 %1），證照暫未取得，請勿重複申請，請聯繫工作人員</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="233"/>
        <source>证照核验未通过，未打印，请联系工作人员</source>
        <translation>證照核驗未通過，未打印，請聯繫工作人員</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="235"/>
        <source>该证照已打印或正在处理，如需补打请联系工作人员</source>
        <translation>該證照已打印或正在處理，如需補打請聯繫工作人員</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="237"/>
        <source>打印机暂时无法连接，证照未打印，请稍后重试</source>
        <translation>打印機暫時無法連接，證照未打印，請稍後重試</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="239"/>
        <source>%1，证照未打印，请联系工作人员</source>
        <translation>%1，證照未打印，請聯繫工作人員</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="241"/>
        <source>打印失败，证照未打印，请稍后重试</source>
        <translation>打印失敗，證照未打印，請稍後重試</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="243"/>
        <source>无法确认证照是否已打印，请联系工作人员核实</source>
        <translation>無法確認證照是否已打印，請聯繫工作人員核實</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="245"/>
        <source>%1，本次证照未打印，处理后可重新打印</source>
        <translation>%1，本次證照未打印，處理後可重新打印</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="247"/>
        <source>打印暂停，证照将在工作人员处理后继续打印，请联系工作人员</source>
        <translation>打印暫停，證照將在工作人員處理後繼續打印，請聯繫工作人員</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="249"/>
        <source>打印未完成，证照未打印，请联系工作人员</source>
        <translation>打印未完成，證照未打印，請聯繫工作人員</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="251"/>
        <source>申请已提交，编号 %1，回执未能打印</source>
        <translation>申請已提交，編號 %1，回執未能打印</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="253"/>
        <source>证照未能打印，请联系工作人员</source>
        <translation>證照未能打印，請聯繫工作人員</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="255"/>
        <source>摄像头暂不可用，请使用身份证或联系工作人员</source>
        <translation>攝像頭暫不可用，請使用身份證或聯繫工作人員</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="257"/>
        <source>未能完成人脸核验。您可以使用手机上的电子身份码办理，或到人工服务窗口办理</source>
        <translation>未能完成人臉核驗。您可以使用手機上的電子身份碼辦理，或到人工服務窗口辦理</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="259"/>
        <source>未能确认是证件本人。您可以使用手机上的电子身份码办理，或到人工服务窗口办理</source>
        <translation>未能確認是證件本人。您可以使用手機上的電子身份碼辦理，或到人工服務窗口辦理</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="261"/>
        <source>未能识别电子身份码，请在手机上刷新后重试</source>
        <translation>未能識別電子身份碼，請在手機上刷新後重試</translation>
    </message>
</context>
<context>
    <name>smzc::ui::OnScreenKeyboard</name>
    <message>
        <location filename="../keyboard.cpp" line="193"/>
        <source>中</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../keyboard.cpp" line="193"/>
        <location filename="../keyboard.cpp" line="194"/>
        <source>英</source>
        <translation>英</translation>
    </message>
    <message>
        <location filename="../keyboard.cpp" line="195"/>
        <source>123</source>
        <translation>123</translation>
    </message>
    <message>
        <location filename="../keyboard.cpp" line="199"/>
        <source>空格</source>
        <translation>空格</translation>
    </message>
    <message>
        <location filename="../keyboard.cpp" line="207"/>
        <source>删除</source>
        <translation>刪除</translation>
    </message>
    <message>
        <location filename="../keyboard.cpp" line="210"/>
        <source>完成</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>smzc::ui::ProgressScreen</name>
    <message>
        <location filename="../screens/progress_screen.cpp" line="6"/>
        <source>正在办理，请稍候</source>
        <translation>正在辦理，請稍候</translation>
    </message>
    <message>
        <location filename="../screens/progress_screen.cpp" line="11"/>
        <source>返回首页</source>
        <translation>返回首頁</translation>
    </message>
</context>
<context>
    <name>smzc::ui::ReadCardScreen</name>
    <message>
        <location filename="../screens/read_card_screen.cpp" line="6"/>
        <source>请将身份证放在读卡区</source>
        <translation>請將身份證放在讀卡區</translation>
    </message>
    <message>
        <location filename="../screens/read_card_screen.cpp" line="7"/>
        <source>放好后请勿移动，读取约需一秒</source>
        <translation>放好後請勿移動，讀取約需一秒</translation>
    </message>
    <message>
        <location filename="../screens/read_card_screen.cpp" line="9"/>
        <source>返回首页</source>
        <translation>返回首頁</translation>
    </message>
</context>
</TS>
