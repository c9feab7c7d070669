/* jQuery stand-in served by the nianbao mirror: $(fn), $(document).ready(fn), $('#id').text(), $.fn.jpage */
(function () {
  function find(sel) {
    // ids like #4511 are not valid CSS selectors; jQuery resolves them with getElementById, so do we
    var m = /^#([^\s]+)\s*(.*)$/.exec(sel);
    if (!m) return document.querySelector(sel);
    var el = document.getElementById(m[1]);
    return el && m[2] ? el.querySelector(m[2]) : el;
  }
  function Q(sel) { this.el = typeof sel === 'string' ? find(sel) : sel; }
  Q.prototype.ready = function (fn) {
    if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn);
  };
  Q.prototype.text = function () { return this.el ? this.el.textContent : ''; };
  window.$ = window.jQuery = function (sel) {
    if (typeof sel === 'function') { return new Q(document).ready(sel); }
    return new Q(sel);
  };
  window.$.fn = Q.prototype;
})();
