<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>smzc::ui::ApplicationsScreen</name>
    <message>
        <location filename="../screens/applications_screen.cpp" line="12"/>
        <source>办理进度</source>
        <translation>My applications</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="15"/>
        <source>暂无办理记录</source>
        <translation>No applications found</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="20"/>
        <source>返回首页</source>
        <translation>Back to start</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="48"/>
        <source>已通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="49"/>
        <source>已通过，证照已打印</source>
        <translation>Approved; the certificate was printed</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="50"/>
        <source>已通过，证照可在本机打印</source>
        <translation>Approved; the certificate can be printed here</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="51"/>
        <source>已通过，刷身份证后可在本机打印证照</source>
        <translation>Approved; lay your ID card to print the certificate here</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="53"/>
        <source>未通过</source>
        <translation>Not approved</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="55"/>
        <source>审核中，结果将以短信通知</source>
        <translation>Under review; the result will come by SMS</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="61"/>
        <source>申请编号 %1</source>
        <translation>Application %1</translation>
    </message>
    <message>
        <location filename="../screens/applications_screen.cpp" line="69"/>
        <source>打印证照</source>
        <translation>Print the certificate</translation>
    </message>
</context>
<context>
    <name>smzc::ui::AttractScreen</name>
    <message>
        <location filename="../screens/attract_screen.cpp" line="6"/>
        <source>欢迎使用市民之窗</source>
        <translation>Welcome to Citizen Window</translation>
    </message>
    <message>
        <location filename="../screens/attract_screen.cpp" line="7"/>
        <source>社保凭证、不动产、营业执照……秒办秒批秒打证</source>
        <translation>Social insurance records, property, business licences… applied for, approved and printed in seconds</translation>
    </message>
    <message>
        <location filename="../screens/attract_screen.cpp" line="13"/>
        <source>开始办理</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../screens/attract_screen.cpp" line="18"/>
        <source>出示电子身份码</source>
        <translation>Show my e-ID code</translation>
    </message>
    <message>
        <location filename="../screens/attract_screen.cpp" line="22"/>
        <source>核验证照真伪</source>
        <translation>Check a certificate</translation>
    </message>
    <message>
        <location filename="../screens/attract_screen.cpp" line="26"/>
        <source>办理进度查询</source>
        <translation>My applications</translation>
    </message>
</context>
<context>
    <name>smzc::ui::CameraScreen</name>
    <message>
        <location filename="../screens/camera_screen.cpp" line="24"/>
        <source>返回首页</source>
        <translation>Back to start</translation>
    </message>
</context>
<context>
    <name>smzc::ui::CapturedScreen</name>
    <message>
        <location filename="../screens/captured_screen.cpp" line="8"/>
        <source>请确认材料清晰完整</source>
        <translation>Please check that the page is clear and complete</translation>
    </message>
    <message>
        <location filename="../screens/captured_screen.cpp" line="16"/>
        <source>使用此页</source>
        <translation>Use this page</translation>
    </message>
    <message>
        <location filename="../screens/captured_screen.cpp" line="20"/>
        <source>重新拍摄</source>
        <translation>Take it again</translation>
    </message>
</context>
<context>
    <name>smzc::ui::ConfirmScreen</name>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="8"/>
        <source>请确认申请内容</source>
        <translation>Please check your application</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="21"/>
        <source>确认提交</source>
        <translation>Confirm and submit</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="25"/>
        <source>返回修改</source>
        <translation>Back to edit</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="49"/>
        <location filename="../screens/confirm_screen.cpp" line="60"/>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="50"/>
        <source>（未填）</source>
        <translation>(not filled in)</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="58"/>
        <source>%1：由平台调取电子证照（免提交）</source>
        <translation>%1: fetched by the platform as an e-licence (nothing to hand in)</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="60"/>
        <source>已拍摄</source>
        <translation>captured</translation>
    </message>
    <message>
        <location filename="../screens/confirm_screen.cpp" line="60"/>
        <source>未拍摄</source>
        <translation>not captured</translation>
    </message>
</context>
<context>
    <name>smzc::ui::DoneScreen</name>
    <message>
        <location filename="../screens/done_screen.cpp" line="6"/>
        <source>办理完成，请取走证照和身份证</source>
        <translation>All done: please take your certificate and your ID card</translation>
    </message>
    <message>
        <location filename="../screens/done_screen.cpp" line="9"/>
        <source>请取走您的身份证</source>
        <translation>Please take your ID card</translation>
    </message>
    <message>
        <location filename="../screens/done_screen.cpp" line="13"/>
        <source>请取走出纸口的证照，以免遗留</source>
        <translation>Please take your certificate from the printer tray</translation>
    </message>
    <message>
        <location filename="../screens/done_screen.cpp" line="25"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>smzc::ui::FindApplicationScreen</name>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="9"/>
        <source>办理进度查询</source>
        <translation>My applications</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="10"/>
        <source>刷身份证：查看您的全部办件，并打印已审批通过的证照</source>
        <translation>With your ID card: see all your applications, and print the certificates approved</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="11"/>
        <source>刷身份证查询</source>
        <translation>Use my ID card</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="15"/>
        <source>或输入回执、短信上的申请编号</source>
        <translation>Or type the application number from your receipt or SMS</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="21"/>
        <source>未找到该申请编号，请核对后重新输入</source>
        <translation>No application has that number: please check it and try again</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="25"/>
        <source>暂时无法查询，请稍后重试</source>
        <translation>Cannot look it up just now: please try again later</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="29"/>
        <source>按编号查询</source>
        <translation>Look up the number</translation>
    </message>
    <message>
        <location filename="../screens/find_application_screen.cpp" line="40"/>
        <source>返回首页</source>
        <translation>Back to start</translation>
    </message>
</context>
<context>
    <name>smzc::ui::FormScreen</name>
    <message>
        <location filename="../screens/form_screen.cpp" line="15"/>
        <source>请核对并填写申请信息</source>
        <translation>Please check and complete your application</translation>
    </message>
    <message>
        <location filename="../screens/form_screen.cpp" line="23"/>
        <source>提交申请</source>
        <translation>Submit application</translation>
    </message>
    <message>
        <location filename="../screens/form_screen.cpp" line="27"/>
        <source>返回事项列表</source>
        <translation>Back to the services</translation>
    </message>
    <message>
        <location filename="../screens/form_screen.cpp" line="98"/>
        <source>拍摄材料：%1</source>
        <translation>Capture document: %1</translation>
    </message>
</context>
<context>
    <name>smzc::ui::ItemsScreen</name>
    <message>
        <location filename="../screens/items_screen.cpp" line="44"/>
        <source>请选择办理事项</source>
        <translation>Please choose a service</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="53"/>
        <source>全部事项</source>
        <translation>All services</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="54"/>
        <source>本地</source>
        <translation>Local</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="55"/>
        <source>跨城通办</source>
        <translation>Other cities</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="56"/>
        <source>跨省通办</source>
        <translation>Other provinces</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="57"/>
        <source>湾区通办</source>
        <translation>Greater Bay Area</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="89"/>
        <source>没有找到相符的事项，请换个说法或选择“全部事项”</source>
        <translation>No service matches: try other words, or choose “All services”</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="101"/>
        <source>退出</source>
        <translation>Exit</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="145"/>
        <source>全部类别</source>
        <translation>All topics</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="168"/>
        <source>（网络中断，部分事项可能暂不可办）</source>
        <translation> (network down: some services may be unavailable)</translation>
    </message>
    <message>
        <location filename="../screens/items_screen.cpp" line="170"/>
        <source>搜索事项名称</source>
        <translation>Search services</translation>
    </message>
</context>
<context>
    <name>smzc::ui::Journey</name>
    <message>
        <location filename="../journey.cpp" line="290"/>
        <location filename="../journey.cpp" line="529"/>
        <source>请将手机上的电子身份码对准摄像头</source>
        <translation>Please hold the e-ID code on your phone up to the camera</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="297"/>
        <source>请将证照上的二维码对准摄像头</source>
        <translation>Please hold the certificate&apos;s QR code up to the camera</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="306"/>
        <source>暂时无法核验</source>
        <translation>Cannot check now</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="306"/>
        <source>请稍后再试，或到服务窗口核验</source>
        <translation>Please try again later, or have it checked at a service counter</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="319"/>
        <source>未能完成身份核验</source>
        <translation>Your identity could not be verified</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="322"/>
        <location filename="../journey.cpp" line="534"/>
        <source>您好，%1（%2 %3）</source>
        <translation>Hello, %1 (%2 %3)</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="222"/>
        <location filename="../journey.cpp" line="332"/>
        <source>暂时无法连接政务服务平台</source>
        <translation>The government service platform cannot be reached at the moment</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="222"/>
        <location filename="../journey.cpp" line="332"/>
        <source>请稍后重试</source>
        <translation>Please try again later</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="278"/>
        <source>人脸核验：请本人正对摄像头，按提示动作</source>
        <translation>Face check: face the camera yourself and do as you are asked</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="344"/>
        <source>（办理时间 %1）</source>
        <translation> (service hours %1)</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="348"/>
        <source>（%1）</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="356"/>
        <source>请将材料放入扫描仪，或平放在拍摄区</source>
        <translation>Please put the document on the scanner, or lay it flat in the camera area</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="427"/>
        <source>证照编号 %1</source>
        <translation>Certificate number %1</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="431"/>
        <source>结果将以邮政快递(包邮)寄送</source>
        <translation>The result will be sent by post (free of charge)</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="431"/>
        <source>结果将以短信通知</source>
        <translation>The result will be sent by text message</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="433"/>
        <source>申请编号 %1，%2</source>
        <translation>Application number %1; %2</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="445"/>
        <source>申请未通过</source>
        <translation>Application not approved</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="450"/>
        <source>申请材料不全</source>
        <translation>Documents missing</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="456"/>
        <source>办理未完成</source>
        <translation>Not completed</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="494"/>
        <source>读卡器暂不可用，需要身份证的事项暂停办理</source>
        <translation>The card reader is unavailable: services that need an ID card are paused</translation>
    </message>
    <message>
        <location filename="../journey.cpp" line="496"/>
        <source>%1，需要打印的事项暂停办理</source>
        <translation>%1: services that print are paused</translation>
    </message>
</context>
<context>
    <name>smzc::ui::KioskWindow</name>
    <message>
        <location filename="../kiosk_window.cpp" line="59"/>
        <source>市民之窗  ·  政务服务自助终端</source>
        <translation>Citizen Window  ·  Government Self-Service</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="74"/>
        <location filename="../kiosk_window.cpp" line="151"/>
        <source>语音播报</source>
        <translation>Read aloud</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="151"/>
        <source>关闭语音</source>
        <translation>Stop reading aloud</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="78"/>
        <location filename="../kiosk_window.cpp" line="145"/>
        <source>长辈模式</source>
        <translation>Larger text</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="109"/>
        <source>您还在办理吗？</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="114"/>
        <source>返回首页时，您填写的信息将被清除</source>
        <translation>When the start screen returns, what you entered is deleted</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="116"/>
        <source>继续办理</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="145"/>
        <source>标准模式</source>
        <translation>Standard text</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="190"/>
        <source>政银合作服务点</source>
        <translation>Government services at this bank</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="190"/>
        <source>%1 · 政银合作服务点</source>
        <translation>%1 · Government services at this bank</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="192"/>
        <source>异地通办服务点</source>
        <translation>Services for other regions</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="192"/>
        <source>%1 · 异地通办服务点</source>
        <translation>%1 · Services for other regions</translation>
    </message>
    <message>
        <location filename="../kiosk_window.cpp" line="210"/>
        <source>%1 秒后将返回首页</source>
        <translation>Back to the start screen in %1 s</translation>
    </message>
</context>
<context>
    <name>smzc::ui::MessageScreen</name>
    <message>
        <location filename="../screens/message_screen.cpp" line="17"/>
        <source>返回首页</source>
        <translation>Back to start</translation>
    </message>
</context>
<context>
    <name>smzc::ui::Messages</name>
    <message>
        <location filename="../messages.cpp" line="23"/>
        <source>证照真实有效</source>
        <translation>This certificate is genuine</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="24"/>
        <source>出具部门的签章密钥已作废，此证照不能采信</source>
        <translation>The issuing office&apos;s signing key has been revoked: do not rely on this certificate</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="25"/>
        <source>无法确认出具部门，此证照不能采信</source>
        <translation>The issuing office cannot be confirmed: do not rely on this certificate</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="26"/>
        <source>证照内容与二维码不符，可能已被篡改</source>
        <translation>The certificate&apos;s content does not match its QR code: it may have been altered</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="27"/>
        <source>二维码签名不符，此证照可能系伪造</source>
        <translation>The QR code&apos;s signature does not match: this certificate may be forged</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="28"/>
        <source>这不是市民之窗证照的核验码</source>
        <translation>This is not a Citizen Window certificate code</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="41"/>
        <source>请到服务窗口人工核验</source>
        <translation>Please have it checked at a staffed counter</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="43"/>
        <source>编号：%1</source>
        <translation>Number: %1</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="44"/>
        <source>出具时间：%1</source>
        <translation>Issued: %1</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="45"/>
        <source>补打：第 %1 次</source>
        <translation>Reprint: number %1</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="47"/>
        <source>请核对纸面内容与以上信息一致</source>
        <translation>Please check that the paper says the same as the lines above</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="52"/>
        <source>打印纸已用完</source>
        <translation>The printer is out of paper</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="53"/>
        <source>打印机卡纸</source>
        <translation>The printer has a paper jam</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="54"/>
        <source>打印机盖未关好</source>
        <translation>The printer cover is open</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="55"/>
        <source>打印机门未关好</source>
        <translation>The printer door is open</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="56"/>
        <source>打印机纸盒缺失</source>
        <translation>The printer&apos;s paper tray is missing</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="57"/>
        <source>出证口已满，请先取走证照</source>
        <translation>The output tray is full: please take the certificates out first</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="59"/>
        <source>打印机耗材已用完</source>
        <translation>The printer has run out of supplies</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="60"/>
        <source>打印机离线</source>
        <translation>The printer is offline</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="61"/>
        <source>打印机已暂停</source>
        <translation>The printer is paused</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="62"/>
        <source>打印机已关闭</source>
        <translation>The printer is switched off</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="63"/>
        <source>打印机暂时无法使用</source>
        <translation>The printer cannot be used at the moment</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="69"/>
        <source>读卡器暂不可用</source>
        <translation>The card reader is unavailable</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="71"/>
        <source>打印机暂不可用</source>
        <translation>The printer is unavailable</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="73"/>
        <source>摄像头暂不可用</source>
        <translation>The camera is unavailable</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="75"/>
        <source>扫描仪暂不可用</source>
        <translation>The scanner is unavailable</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="77"/>
        <source>设备暂不可用</source>
        <translation>A device is unavailable</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="85"/>
        <source>打印机暂时无法连接</source>
        <translation>The printer cannot be reached at the moment</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="95"/>
        <source>%1：必填</source>
        <translation>%1: required</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="97"/>
        <source>%1：格式不正确</source>
        <translation>%1: not in the right format</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="99"/>
        <source>电子证照库未找到%1，请扫描纸质材料</source>
        <translation>%1 was not found among your electronic licences: please scan the paper document</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="101"/>
        <source>请扫描：%1</source>
        <translation>Please scan: %1</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="110"/>
        <source>读取身份证</source>
        <translation>Reading the ID card</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="112"/>
        <source>识别电子身份码</source>
        <translation>Reading the e-ID code</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="114"/>
        <source>核验身份</source>
        <translation>Verifying identity</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="116"/>
        <source>人脸核验</source>
        <translation>Face check</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="118"/>
        <source>拍摄材料</source>
        <translation>Capturing documents</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="120"/>
        <source>核对申请信息</source>
        <translation>Checking the application</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="122"/>
        <source>调取申请材料</source>
        <translation>Fetching documents</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="124"/>
        <source>提交申请</source>
        <translation>Submit application</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="126"/>
        <source>智能审批</source>
        <translation>Approving</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="128"/>
        <source>获取证照</source>
        <translation>Fetching the certificate</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="130"/>
        <source>核验证照</source>
        <translation>Checking the certificate</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="132"/>
        <source>生成文书</source>
        <translation>Making the document</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="134"/>
        <source>打印证照</source>
        <translation>Printing the certificate</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="142"/>
        <source>居民身份证</source>
        <translation>Resident ID card</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="144"/>
        <source>港澳台居民居住证</source>
        <translation>Residence permit for Hong Kong, Macao and Taiwan residents</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="146"/>
        <source>外国人永久居留证</source>
        <translation>Foreign permanent resident card</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="148"/>
        <source>外国人永久居留身份证</source>
        <translation>Foreign permanent resident ID card</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="150"/>
        <source>身份证件</source>
        <translation>Identity document</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="157"/>
        <source>很好，请保持</source>
        <translation>Good, hold still</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="159"/>
        <source>请正对摄像头</source>
        <translation>Please face the camera</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="161"/>
        <source>请仅申请人本人面对摄像头</source>
        <translation>Only the applicant should face the camera</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="163"/>
        <source>请靠近一些</source>
        <translation>Please come a little closer</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="165"/>
        <source>请移到画面中间</source>
        <translation>Please move to the middle of the picture</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="167"/>
        <source>光线太暗</source>
        <translation>Too dark</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="169"/>
        <source>光线太强</source>
        <translation>Too bright</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="171"/>
        <source>请保持不动</source>
        <translation>Please keep still</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="173"/>
        <source>请本人面对摄像头，不要使用照片</source>
        <translation>Please face the camera yourself; do not use a photo</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="175"/>
        <source>请将材料平放在拍摄区</source>
        <translation>Please lay the document flat in the camera area</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="177"/>
        <source>请将整页材料放入拍摄区</source>
        <translation>Please put the whole page in the camera area</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="179"/>
        <source>材料反光，请调整角度</source>
        <translation>The document reflects the light: please tilt it</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="181"/>
        <source>请正视摄像头，不要侧头或低头</source>
        <translation>Look straight at the camera, without turning or tilting your head</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="183"/>
        <source>请睁开眼睛</source>
        <translation>Please open your eyes</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="185"/>
        <source>请缓慢向左转头</source>
        <translation>Slowly turn your head to your left</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="187"/>
        <source>请缓慢向右转头</source>
        <translation>Slowly turn your head to your right</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="189"/>
        <source>请点点头</source>
        <translation>Nod your head</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="191"/>
        <source>请眨眨眼</source>
        <translation>Blink your eyes</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="193"/>
        <source>请张张嘴</source>
        <translation>Open your mouth</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="195"/>
        <source>未能核验，请再试一次</source>
        <translation>Not verified: please try once more</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="208"/>
        <source>未能读取身份证，请重新放置</source>
        <translation>The ID card could not be read: please place it again</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="210"/>
        <source>读卡器暂不可用，请稍后再试或联系工作人员</source>
        <translation>The card reader is unavailable: please try later or ask a member of staff</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="212"/>
        <source>身份核验未通过，请联系工作人员</source>
        <translation>Your identity could not be verified: please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="214"/>
        <source>暂时无法核验身份，请稍后重试</source>
        <translation>Your identity cannot be verified now: please try again later</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="216"/>
        <source>政务服务平台暂时无法连接，本次未办理成功，请稍后重试</source>
        <translation>The government service platform cannot be reached: nothing was done, please try again later</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="218"/>
        <source>政务服务平台返回异常，本次未办理成功，请稍后重试或联系工作人员</source>
        <translation>The government service platform answered wrongly: nothing was done, please try again later or ask a member of staff</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="220"/>
        <source>网络暂时不可用，申请未提交，请稍后重试</source>
        <translation>The network is down: the application was not sent, please try again later</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="223"/>
        <source>网络暂时不可用，申请已在本机加密暂存（编号 %1），恢复后自动提交，结果将以短信通知</source>
        <translation>The network is down: your application is kept encrypted on this terminal (number %1) and sent when the network is back; the result comes by text message</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="226"/>
        <source>申请已提交，编号 %1，审批结果将以短信通知</source>
        <translation>Application sent, number %1; the decision comes by text message</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="228"/>
        <source>该事项办理时间为 %1，请在办理时间内再来</source>
        <translation>This service is open %1: please come back then</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="230"/>
        <source>申请已受理（编号 %1），证照暂未取得，请勿重复申请，请联系工作人员</source>
        <translation>Application received (number %1) but the certificate is not here yet: do not apply again, please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="233"/>
        <source>证照核验未通过，未打印，请联系工作人员</source>
        <translation>The certificate failed its check and was not printed: please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="235"/>
        <source>该证照已打印或正在处理，如需补打请联系工作人员</source>
        <translation>This certificate has been printed or is being handled: for a reprint, please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="237"/>
        <source>打印机暂时无法连接，证照未打印，请稍后重试</source>
        <translation>The printer cannot be reached: the certificate was not printed, please try again later</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="239"/>
        <source>%1，证照未打印，请联系工作人员</source>
        <translation>%1: the certificate was not printed, please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="241"/>
        <source>打印失败，证照未打印，请稍后重试</source>
        <translation>Printing failed: the certificate was not printed, please try again later</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="243"/>
        <source>无法确认证照是否已打印，请联系工作人员核实</source>
        <translation>Whether the certificate printed cannot be confirmed: please ask a member of staff to check</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="245"/>
        <source>%1，本次证照未打印，处理后可重新打印</source>
        <translation>%1: the certificate was not printed this time; it can be printed once this is fixed</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="247"/>
        <source>打印暂停，证照将在工作人员处理后继续打印，请联系工作人员</source>
        <translation>Printing paused: the certificate prints once staff have dealt with it, please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="249"/>
        <source>打印未完成，证照未打印，请联系工作人员</source>
        <translation>Printing did not finish: the certificate was not printed, please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="251"/>
        <source>申请已提交，编号 %1，回执未能打印</source>
        <translation>Application sent, number %1; the receipt could not be printed</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="253"/>
        <source>证照未能打印，请联系工作人员</source>
        <translation>The certificate could not be printed: please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="255"/>
        <source>摄像头暂不可用，请使用身份证或联系工作人员</source>
        <translation>The camera is unavailable: please use your ID card or ask a member of staff</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="257"/>
        <source>未能完成人脸核验。您可以使用手机上的电子身份码办理，或到人工服务窗口办理</source>
        <translation>The face check could not be completed. You can use the e-ID code on your phone, or go to a staffed counter</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="259"/>
        <source>未能确认是证件本人。您可以使用手机上的电子身份码办理，或到人工服务窗口办理</source>
        <translation>We could not confirm that you are the card's holder. You can use the e-ID code on your phone, or go to a staffed counter</translation>
    </message>
    <message>
        <location filename="../messages.cpp" line="261"/>
        <source>未能识别电子身份码，请在手机上刷新后重试</source>
        <translation>The e-ID code could not be read: please refresh it on your phone and try again</translation>
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
        <translation>ABC</translation>
    </message>
    <message>
        <location filename="../keyboard.cpp" line="195"/>
        <source>123</source>
        <translation>123</translation>
    </message>
    <message>
        <location filename="../keyboard.cpp" line="199"/>
        <source>空格</source>
        <translation>Space</translation>
    </message>
    <message>
        <location filename="../keyboard.cpp" line="207"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../keyboard.cpp" line="210"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>smzc::ui::ProgressScreen</name>
    <message>
        <location filename="../screens/progress_screen.cpp" line="6"/>
        <source>正在办理，请稍候</source>
        <translation>Working on it, please wait</translation>
    </message>
    <message>
        <location filename="../screens/progress_screen.cpp" line="11"/>
        <source>返回首页</source>
        <translation>Back to start</translation>
    </message>
</context>
<context>
    <name>smzc::ui::ReadCardScreen</name>
    <message>
        <location filename="../screens/read_card_screen.cpp" line="6"/>
        <source>请将身份证放在读卡区</source>
        <translation>Please place your ID card on the reader</translation>
    </message>
    <message>
        <location filename="../screens/read_card_screen.cpp" line="7"/>
        <source>放好后请勿移动，读取约需一秒</source>
        <translation>Keep it still; reading takes about a second</translation>
    </message>
    <message>
        <location filename="../screens/read_card_screen.cpp" line="9"/>
        <source>返回首页</source>
        <translation>Back to start</translation>
    </message>
</context>
</TS>
