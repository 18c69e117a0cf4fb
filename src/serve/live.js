(function(){
var V=__VERSION__,K="herald-scroll:"+location.pathname;
var y=sessionStorage.getItem(K);if(y!==null){sessionStorage.removeItem(K);addEventListener("load",function(){scrollTo(0,+y)});}
function box(){var b=document.getElementById("herald-overlay");if(!b){b=document.createElement("div");b.id="herald-overlay";b.setAttribute("role","alert");b.style.cssText="position:fixed;inset:auto 0 0 0;max-height:70vh;overflow:auto;z-index:2147483647;background:#1b1b1b;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:16px 20px;border-top:4px solid #e5534b;box-shadow:0 -4px 24px rgba(0,0,0,.4)";document.body.appendChild(b);}return b;}
function show(d){var b=box(),list=d.errors;b.textContent="";var h=document.createElement("strong");h.textContent="herald: "+d.title;b.appendChild(h);list.forEach(function(e){var p=document.createElement("p");p.style.margin="10px 0 0";var l=document.createElement("span");l.style.color="#ff8f86";l.textContent=e.location+": ";p.appendChild(l);p.appendChild(document.createTextNode(e.message));if(e.hint){var i=document.createElement("div");i.style.color="#b3aca4";i.textContent=e.hint;p.appendChild(i);}b.appendChild(p);});}
function hide(){var b=document.getElementById("herald-overlay");if(b)b.remove();}
function reload(){sessionStorage.setItem(K,String(scrollY));location.reload();}
var es=new EventSource("__LIVE__");
es.addEventListener("hello",function(m){var d=JSON.parse(m.data);if(d.version!==V)reload();});
es.addEventListener("errors",function(m){show(JSON.parse(m.data));});
es.addEventListener("reload",function(m){var d=JSON.parse(m.data);if(d.css){V=d.version;hide();document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){var u=new URL(l.href);u.searchParams.set("herald",d.version);var n=l.cloneNode();n.href=u.href;n.onload=function(){l.remove()};l.after(n);});}else reload();});
})();
