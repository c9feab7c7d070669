/* Hanweb jpage stand-in served by the nianbao mirror: shows the embedded records and pages through
   dataproxy.jsp (window mode), so a person looking at the mirror in a browser sees the column's list. */
(function () {
  function records(xml) {
    var out = [], re = /<record><!\[CDATA\[([\s\S]*?)\]\]><\/record>/g, m;
    while ((m = re.exec(xml))) out.push(m[1]);
    return out;
  }
  $.fn.jpage = function (o) {
    var box = this.el, all = records(box.querySelector('script[type="text/xml"]').textContent);
    var total = o.totalRecord, per = o.perPage, page = 1, pages = Math.max(1, Math.ceil(total / per));
    var ul = document.createElement('ul'), bar = document.createElement('div');
    bar.className = 'bt_page';
    box.appendChild(ul); box.appendChild(bar);
    function params() {
      var p = [];
      for (var k in o.ajaxParam) p.push(k + '=' + encodeURIComponent(o.ajaxParam[k]));
      return p.join('&');
    }
    function show() {
      var need = page * per;
      if (all.length < Math.min(need, total)) {
        var x = new XMLHttpRequest(), end = all.length + per * (o.groupSize || 3);
        x.open('POST', o.proxyUrl + '?startrecord=' + (all.length + 1) + '&endrecord=' + end + '&perpage=' + per);
        x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
        x.onload = function () { all = all.concat(records(x.responseText)); show(); };
        x.send(params());
        return;
      }
      ul.innerHTML = all.slice((page - 1) * per, need).join('');
      bar.innerHTML = '共' + total + '条 第' + page + '/' + pages + '页 ';
      [['首页', 1], ['上一页', page - 1], ['下一页', page + 1], ['尾页', pages]].forEach(function (b) {
        var a = document.createElement('a');
        a.href = 'javascript:;'; a.textContent = b[0] + ' ';
        a.onclick = function () { if (b[1] >= 1 && b[1] <= pages) { page = b[1]; show(); } };
        bar.appendChild(a);
      });
    }
    show();
  };
})();
