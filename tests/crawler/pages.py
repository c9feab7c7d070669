"""HTML written from the skeletons of sites.md §7.4 (and the real variants it cites), for extractor tests."""

from __future__ import annotations

TRS_LIST = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="SiteName" content="北京市科学技术委员会、中关村科技园区管理委员会">
<meta name="ColumnName" content="政府信息公开年报">
<title>政府信息公开年报_北京市科学技术委员会、中关村科技园区管理委员会</title></head><body>
<div class="position">当前位置：<a href="../../../">首页</a> &gt; <a href="../../">政务公开</a> &gt; 政府信息公开年报</div>
<div class="title-list-box"><ul class="list">
  <li><a href="./202401/t20240125_3547711.html" title="北京市科学技术委员会、中关村科技园区管理委员会2023年政府信息公开工作年度报告" target="_blank">北京市科学技术委员会、中关村科技园区管理委员会2023年政府信息公开工作年度报告</a><span>2024-01-25</span></li>
  <li><a href="./202301/t20230130_2902901.html" title="北京市科学技术委员会、中关村科技园区管理委员会2022年政府信息公开工作年度报告" target="_blank">北京市科学技术委员会、中关村科技园区管理委员会2022年政府信息公开...</a><span>2023-01-30</span></li>
  <li><a href="./202501/t20250110_4000001.html" target="_blank">关于做好2025年政府信息公开年报编制和公布有关工作的函</a><span>2025-01-10</span></li>
  <!-- <li><a href="./201901/t20190101_1000000.html">北京市科学技术委员会2018年政府信息公开工作年度报告（旧）</a></li> -->
</ul></div>
<div class="page"><script>createPageHTML(3, 0, "index", "html");</script></div>
<script src="/images/page.js"></script>
</body></html>"""

# Variant (b) with the stale commented pager, Ningxia list2 markup and ../../ links (E20).
TRS_LIST_STALE_PAGER = """<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<ul class="list2">
<li><span>2023-01-28</span><a href="./202301/t20230128_3929475.html">银川市金凤区人民政府2022年政府信息公开工作年度报告</a></li>
<li><span>2022-06-18</span><a href="../../zfxxgkml/zfxxgknb_59360/202206/t20220618_3001234.html">金凤区科技局2021年政府信息公开工作年度报告</a></li>
<!--
<li><span>2021-01-01</span><a href="./202101/t20210101_9999999.html">金凤区2020年政府信息公开工作年度报告（草稿）</a></li>
-->
</ul>
<div class="page"><script type="text/javascript">
//createPageHTML(9, 0, "index", "html");
var currentPage = 0;//所在页从0开始
var countPage = 17//共多少页
document.write("<a href='index_1.html'>下一页</a>");
</script></div></body></html>"""

TRS_LIST_SHTML = """<html><body><ul><li><a href="./202601/t20260108_201108.shtml">2025年丰台区政府信息公开工作年度报告</a></li></ul>
<script>createPageHTML(2, 0, "index", "shtml");</script></body></html>"""

TRS_LIST_LASTLINK = """<html><body><ul><li><a href="./202003/t20200317_195667.html">密云区2019年政府信息公开工作年度报告</a></li></ul>
<div class="pager"><a href="index_1.html">下一页</a> <a href="index_4.html">尾页</a></div></body></html>"""

BEIJING_YEAR_TABS = """<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<div class="tabs">
<a href="./2021nb/qzf/">区政府</a> <a href="./2021nb/szfbm/">市政府部门</a>
<a href="./2018nb/qzf/">2018年 区政府</a>
<span onclick="location.href='./2016nb/'">2016年</span>
<a href="/gate/big5/www.beijing.gov.cn/gongkai/zfxxgk/zfxxgknb/2021nb/qzf/">繁體</a>
</div></body></html>"""

HANWEB_COLUMN = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="SiteName" content="北京市科学技术委员会"><meta name="ColumnName" content="政府信息公开年报">
<title>北京市科学技术委员会 政府信息公开年报</title>
<script src="/module/jslib/jquery/jquery.js"></script><script src="/module/jslib/jpage/jpage.js"></script></head><body>
<table class="bt_link"><tr><td><a class="bt_link" href="/">首页</a> &gt; <a class="bt_link" href="/col/col10120/index.html">政务公开</a></td></tr></table>
<div id="4511"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=10126&unitid=4511&webname=%E5%8C%97%E4%BA%AC%E5%B8%82%E7%A7%91%E5%AD%A6%E6%8A%80%E6%9C%AF%E5%A7%94%E5%91%98%E4%BC%9A&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href='/art/2023/10/28/art_10126_669940.html' title='2010年中关村科技园区管理委员会政府信息公开年度报告' target="_blank">2010年中关村科技园区管理委员会政府信息公开年度报告</a><span>2023-10-28</span></li>]]></record>
<record><![CDATA[<li class="cf"><a target="_blank" href="/art/2020/1/16/art_10126_472081.html" title="北京市科学技术委员会2019年政府信息公开工作年度报告">北京市科学技术委员会2019年政府信息公开工作年度报告</a><span class="bt_date">2020-01-16</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2019/1/20/art_10126_400001.html"><span class="list_title">北京市科学技术委员会2018年政府信息公开工...</span><i>2019-01-20</i></a></li>]]></record>
</recordset></datastore></script></div>
<script language="javascript">var param_4511 = {col:1,appid:1,webid:1,path:'/',columnid:10126,sourceContentType:1,unitid:'4511',webname:'北京市科学技术委员会',permissiontype:0};
$(document).ready(function(){ $('#4511').jpage({ dataStore: dataStore, proxyUrl:'/module/web/jpage/dataproxy.jsp', perPage:1, totalRecord:7, groupSize:3, barPosition:'bottom', ajaxParam: param_4511 }); });</script>
</body></html>"""

# The options in another order, with an inline ajaxParam and another proxy path.
HANWEB_COLUMN_INLINE = """<html><body>
<div id="5566"><script type="text/xml"><datastore><recordset>
<record><![CDATA[<li><a href="/art/2024/1/5/art_55_1.html" title="某局2023年政府信息公开工作年度报告">某局2023年政府信息公开工作年度报告</a></li>]]></record>
</recordset></datastore></script></div>
<script>$('#5566').jpage({ ajaxParam:{col:1,appid:1,webid:7,path:'/',columnid:55,unitid:'5566',webname:'%25E6%259F%2590',permissiontype:0}, totalRecord:40, perPage:15, proxyUrl:'/module/jpage/dataproxy.jsp' });</script>
</body></html>"""

HANWEB_JS_ARRAY = """<html><body><div class="left zhengce_right"><script language="javascript">
var urls=new Array();var headers=new Array();var year=new Array();var month=new Array();var day=new Array(); i=0;
urls[i]='/art/2020/1/16/art_736_472080.html';headers[i]="<a title='北京市科学技术委员会2019年政府信息公开工作年度报告'>北京市科学技术委员会2019年政府信...</a>";year[i]='2020';month[i]='1';day[i]='16'; i++;
urls[i]='/art/2019/2/1/art_736_400002.html';headers[i]="<a title='2018年度部门决算'>2018年度部门决算</a>";year[i]='2019';month[i]='2';day[i]='1'; i++;
</script></div></body></html>"""

DATAPROXY_XML = """<?xml version="1.0" encoding="UTF-8"?>
<datastore><totalrecord>7</totalrecord><totalpage>3</totalpage>
<recordset><record><![CDATA[<li><a href='/art/2018/1/2/art_10126_300001.html' title='北京市科学技术委员会2017年政府信息公开工作年度报告' target="_blank">北京市科学技术委员会2017年政府信息公开工作年度报告</a><span>2018-01-02</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2017/1/2/art_10126_200001.html' title='北京市科学技术委员会2016年政府信息公开工作年度报告'>北京市科学技术委员会2016年政府信息公开工作年度报告</a></li>]]></record>
</recordset></datastore>"""

TRS_DETAIL = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="北京市科学技术委员会、中关村科技园区管理委员会2023年政府信息公开工作年度报告">
<meta name="PubDate" content="2024-01-25 09:30"><meta name="ContentSource" content="北京市科学技术委员会">
<title>北京市科学技术委员会、中关村科技园区管理委员会2023年政府信息公开工作年度报告_北京市科学技术委员会、中关村科技园区管理委员会</title></head><body>
<div class="header"><p>北京市科学技术委员会、中关村科技园区管理委员会2023年政府信息公开工作年度报告</p></div>
<div class="doc-info">日期:2024-01-25 09:30&nbsp;&nbsp;来源:北京市科学技术委员会&nbsp;&nbsp;字号:</div>
<div id="mainText"><div class="view TRS_UEDITOR trs_paper_default trs_web">
<p>依据《中华人民共和国政府信息公开条例》第五十条规定，编制本报告。</p>
<p><strong>一、总体情况</strong></p><p>2023年，本机关主动公开政府信息……</p>
<p>三、收到和处理政府信息公开申请情况</p><table><tr><td>自然人</td></tr></table>
<p>六、其他需要报告的事项</p>
</div></div>
<div class="fujian">附件：<a href="./P020240125396815012345.pdf" OLDSRC="/protect/P0202401/P020240125/P020240125396815012345.pdf">北京市科委2023年政府信息公开工作年度报告.pdf</a>
<a href="./W020240125396815000001.docx">统计表.docx</a>
<a href="https://kw.beijing.gov.cn/zwgk/zfxxgk/zfxxgknb/202401/P020240125396815099999.xlsx">附表</a>
<a href="./P020240125396815055555.docx">北京市科委2023年年报.pdf</a></div>
<iframe src="/pdfjs/web/viewer.html?file=./P020240125396815077777.pdf"></iframe>
<div class="page"><script>var currentPage = 0; var countPage = 2;</script></div>
</body></html>"""

HANWEB_DETAIL_CORRECTED_V1 = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="ArticleTitle" content="北京市怀柔区2021年政府信息公开工作年度报告">
<title>北京市怀柔区人民政府 政府信息公开年报 北京市怀柔区2021年政府信息公开工作年度报告</title></head><body>
<table><tr><td class="title">北京市怀柔区2021年政府信息公开工作年度报告</td></tr>
<tr><td><p style="color:red">本报告已更正，请以2022年3月1日发布版本为准。<a href="/zfxxgkzl/gknb/2021nb/qzf2021/202203/t20220301_2500002.html">查看更正版</a></p></td></tr>
<tr><td class="bt_content"><div id="zoom"><p>依据《中华人民共和国政府信息公开条例》编制本报告。一、总体情况 ……主动公开……</p>
<p>附件：<a href="/module/download/downfile.jsp?classid=0&filename=5b1d2ae212dc4081a38141e6e357ba8e.pdf&showname=%E9%99%84%E4%BB%B6%EF%BC%9A2021%E5%B9%B4%E5%B9%B4%E6%8A%A5.pdf">附件：2021年年报.pdf</a></p>
</div></td></tr></table></body></html>"""
