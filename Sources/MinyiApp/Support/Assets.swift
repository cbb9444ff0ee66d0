/// The stylesheet and the small script every page uses; pages work without the script.
enum Assets {
    static let css = """
        :root{--blue:#0b3d91;--blue2:#1f5fbf;--ink:#1d2330;--muted:#5b6475;--line:#d8dde6;--bg:#f4f6fa;--red:#b3261e;--green:#1b7f3b;--amber:#8a5a00}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;font:16px/1.6 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:var(--ink);background:var(--bg)}
        a{color:var(--blue2)}
        .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:9}
        header.top{background:var(--blue);color:#fff}
        header .bar{display:flex;justify-content:space-between;align-items:center;padding:10px 16px;max-width:1200px;margin:0 auto}
        header .brand{color:#fff;font-weight:700;font-size:1.15rem;text-decoration:none;letter-spacing:.05em}
        header .lang{color:#fff;border:1px solid rgba(255,255,255,.6);border-radius:4px;padding:2px 8px;text-decoration:none;font-size:.9rem}
        header nav{display:flex;flex-wrap:wrap;gap:2px;padding:0 12px;max-width:1200px;margin:0 auto;overflow-x:auto}
        header nav a{color:#dfe8ff;text-decoration:none;padding:8px 10px;border-bottom:3px solid transparent;white-space:nowrap}
        header nav a[aria-current]{color:#fff;border-bottom-color:#ffd34d;font-weight:600}
        header nav a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,a:focus-visible{outline:3px \
        solid #ffb300;outline-offset:2px}
        .who{max-width:1200px;margin:0 auto;padding:0 16px 6px;font-size:.9rem;color:#dfe8ff;display:flex;flex-wrap:wrap;gap:8px;align-items:center}
        .who-name{color:#fff;font-weight:600}
        .who button.link{color:#fff;background:none;border:1px solid rgba(255,255,255,.5);border-radius:4px;padding:0 8px;cursor:pointer;font:inherit}
        main{max-width:760px;margin:0 auto;padding:16px}
        body.staff main,body.wide main{max-width:1200px}
        footer{max-width:1200px;margin:24px auto;padding:0 16px;color:var(--muted);font-size:.9rem}
        h1{font-size:1.5rem;margin:.4em 0 .6em}h2{font-size:1.2rem;margin:1.2em 0 .5em}
        .card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px;margin:0 0 16px}
        .card>h2:first-child,.card>h3:first-child{margin-top:0}
        .grid{display:grid;gap:12px;grid-template-columns:repeat(auto-fit,minmax(220px,1fr))}
        .actions-home a.big{display:block;background:#fff;border:1px solid var(--line);border-left:6px solid \
        var(--blue2);border-radius:8px;padding:14px 16px;text-decoration:none;color:var(--ink)}
        .actions-home a.big strong{display:block;font-size:1.15rem;color:var(--blue)}
        .alert{border-radius:6px;padding:10px 14px;margin:0 0 14px}
        .alert.error{background:#fdecea;border:1px solid #f3b7b2;color:#7a1410}
        .alert.ok{background:#e8f5ec;border:1px solid #a9d8b6;color:#0f5227}
        .emergency{background:var(--red);color:#fff;border-radius:8px;padding:14px 16px;margin:0 0 16px;font-size:1.1rem}
        .emergency strong{font-size:1.4rem}
        .emergency-note{color:var(--red);font-weight:600}
        label{display:block;font-weight:600;margin:12px 0 4px}
        .hint{color:var(--muted);font-size:.88rem;font-weight:400}
        input[type=text],input[type=tel],input[type=password],input[type=number],input[type=date],input[type=month],select,textarea{
        width:100%;font:inherit;padding:9px 10px;border:1px solid #aab3c2;border-radius:6px;background:#fff}
        textarea{min-height:8em}
        .field-error input,.field-error select,.field-error textarea{border-color:var(--red);border-width:2px}
        .field-error .msg{color:var(--red);font-size:.92rem;margin:4px 0 0}
        .check{display:flex;gap:8px;align-items:center;font-weight:400}
        .check input{width:auto}
        button,.button{display:inline-block;font:inherit;font-weight:600;background:var(--blue2);color:#fff;border:0;border-radius:6px;padding:10px \
        18px;cursor:pointer;text-decoration:none;margin-top:12px}
        button.secondary,.button.secondary{background:#e6ebf3;color:var(--ink)}
        button.danger{background:var(--red)}
        form.inline{display:inline;margin:0}
        fieldset{border:1px solid var(--line);border-radius:8px;margin:14px 0;padding:4px 14px 14px}
        legend{font-weight:700;padding:0 6px}
        .ticket{background:#fff;border:3px dashed var(--blue2);border-radius:10px;padding:18px;text-align:center;margin:0 0 16px}
        .ticket .big{font-size:2rem;font-weight:800;letter-spacing:.08em;font-family:ui-monospace,"DejaVu Sans Mono",monospace;word-break:break-all}
        .ticket .label{color:var(--muted)}
        table{width:100%;border-collapse:collapse;background:#fff;font-size:.95rem}
        th,td{border-bottom:1px solid var(--line);padding:7px 8px;text-align:left;vertical-align:top}
        th{background:#eef2f8;font-weight:600;white-space:nowrap}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        .table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:8px;margin:0 0 16px}
        .badge{display:inline-block;border-radius:999px;padding:1px 10px;font-size:.85rem;font-weight:600;border:1px solid;white-space:nowrap}
        .plain{list-style:none;padding:0}
        .plain>li{margin:0 0 10px}
        .phase-open{color:#1f7a3f}
        .phase-upcoming,.phase-closed{color:var(--muted)}
        .choice{padding:8px 0;border-bottom:1px solid #e3e7ee;align-items:flex-start}
        tr.chosen td{font-weight:600}
        .hint.block{display:block}
        .nowrap{white-space:nowrap}
        .emergency a,.emergency-note a{color:inherit;font-weight:700}
        .item-text{white-space:pre-wrap;overflow-wrap:anywhere}
        .status-delivered{color:#1f7a3f}
        .status-underway{color:var(--blue2)}
        .badge.late{color:#c23b3b}
        .badge.severity-severe,.badge.severity-extreme{color:#c23b3b;background:#fff1f0}
        progress{width:60%;height:14px;vertical-align:middle}
        .st-registered,.st-returned{color:#6b3d00;background:#fff4dc;border-color:#e7c27a}
        .st-dispatched,.st-accepted{color:#0b3d91;background:#e7eefc;border-color:#9db6ea}
        .st-replied{color:#4a2a85;background:#f0e9fb;border-color:#c3aee9}
        .st-supervised{color:#8a1010;background:#fdecea;border-color:#f0a9a3}
        .st-closed{color:#0f5227;background:#e8f5ec;border-color:#a9d8b6}
        .st-merged,.st-rejected{color:#444;background:#eee;border-color:#ccc}
        .flag{color:#fff;background:var(--red);border-radius:4px;padding:0 6px;font-size:.8rem;font-weight:700;white-space:nowrap}
        .overdue{color:var(--red);font-weight:600}.due-soon{color:#8a5a00;background:#fff4d6;font-weight:600;padding:0 4px;border-radius:3px}
        tr.row-overdue td{background:#fdf0ef}tr.row-overdue td:first-child{box-shadow:inset 4px 0 0 var(--red)}
        tr.row-due-soon td{background:#fffaf0}tr.row-due-soon td:first-child{box-shadow:inset 4px 0 0 #d99a00}
        svg.inline-bar{display:block;width:100%;max-width:160px;min-width:48px;height:12px}td.bar-cell{width:35%}
        .chart-note{color:var(--muted,#5b6475);font-size:.85rem}
        td.deadline{min-width:7.5em}figure.chart.narrow{max-width:560px}
        [hidden]{display:none!important}time{white-space:nowrap}body.print-page a[data-print]{display:none}
        fieldset.plain{border:0;padding:0;margin:0;min-width:0}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        .tabs{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 12px}
        .tabs a{background:#fff;border:1px solid var(--line);border-radius:999px;padding:4px 12px;text-decoration:none;color:var(--ink)}
        .tabs a[aria-current]{background:var(--blue2);border-color:var(--blue2);color:#fff}
        .tabs .count{font-weight:700;margin-left:4px}
        .timeline{list-style:none;margin:0;padding:0 0 0 18px;border-left:3px solid #c9d5ea}
        .timeline li{position:relative;margin:0 0 14px;padding-left:8px}
        .timeline li::before{content:"";position:absolute;left:-27px;top:6px;width:14px;height:14px;border-radius:50%;background:var(--blue2);
        border:3px solid #fff}
        .timeline .when{color:var(--muted);font-size:.88rem}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}
        dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
        .kpis{display:grid;gap:10px;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));margin:0 0 16px}
        .kpi{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 12px}
        .kpi .v{font-size:1.6rem;font-weight:800;color:var(--blue)}
        .kpi .k{color:var(--muted);font-size:.9rem}
        .filters{display:grid;gap:8px;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));align-items:end}
        .filters label{margin:0;font-size:.9rem}
        .filters .wide{grid-column:1/-1;margin:0}
        .filters .actions{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
        .chart{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px;margin:0 0 16px}
        .chart>svg{width:100%;height:auto}
        .legend svg{width:12px;height:12px;vertical-align:-1px}
        .legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.88rem;margin:4px 8px}
        .legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border-radius:2px}
        .cards-sheet{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:10px}
        .echo-card{border:1px solid #8aa3d1;border-radius:8px;padding:10px;background:#fff;break-inside:avoid;font-size:.88rem;line-height:1.4}
        .echo-card p{margin:3px 0}.echo-card .serial{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-weight:700}
        .card-head{display:flex;justify-content:space-between;gap:8px;font-size:1.02rem;border-bottom:2px solid var(--blue);padding-bottom:3px}
        .promise{font-size:.8rem;color:#333}.write-here{font-weight:600}
        .write-line{border-bottom:1px solid #999;height:1.35em}.return-note{font-size:.75rem;color:#555}
        .cut-line{border-top:1px dashed #000;margin:6px -10px 4px;text-align:center;font-size:.7rem;line-height:1}
        .cut-line span{position:relative;top:-.55em;background:#fff;padding:0 6px}
        .stub{display:flex;gap:8px;align-items:center;justify-content:space-between}.stub-text{min-width:0}
        .stub .url{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.72rem;word-break:break-all}
        .card-pin{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:1.1rem;letter-spacing:.1em}
        svg.qr{width:26mm;height:26mm;flex:none}
        .bulletin-body{display:grid;gap:12px}.bulletin td.unit-name{min-width:7em}.small{font-size:.8rem}
        @media (min-width:1600px){.bulletin-body{grid-template-columns:minmax(0,2.5fr) minmax(0,1fr);align-items:start}}
        body.print-page .bulletin-body{grid-template-columns:minmax(0,2.7fr) minmax(0,1fr);align-items:start}
        .bulletin-paper h1{font-size:15pt;margin:0 0 4px}.bulletin-paper p,.bulletin-paper .alert{font-size:9pt;margin:3px 0;padding:4px 8px}
        .bulletin-paper table{font-size:8pt}.bulletin-paper th,.bulletin-paper td{padding:3px 4px}.bulletin-paper .table-wrap{overflow:visible}
        .bulletin-paper .small{font-size:7pt}.bulletin-paper figure.chart{margin:0;padding:0}
        body.print-page{background:#fff}body.print-page main{max-width:none;padding:8px}
        body.landscape{page:wide}@page{size:A4 portrait;margin:10mm}@page wide{size:A4 landscape;margin:10mm}
        .a4{display:grid;grid-template-columns:95mm 95mm;width:190mm;margin:0 auto 10mm}.a4+.a4{break-before:page}
        .a4.per6{grid-template-rows:repeat(3,92mm)}.a4.per4{grid-template-rows:repeat(2,138mm)}
        .a4 .cell{position:relative;padding:3mm;overflow:hidden;-webkit-print-color-adjust:exact;print-color-adjust:exact;
          background:linear-gradient(#000,#000) left top/4mm .25mm,linear-gradient(#000,#000) left top/.25mm 4mm,
          linear-gradient(#000,#000) right top/4mm .25mm,linear-gradient(#000,#000) right top/.25mm 4mm,
          linear-gradient(#000,#000) left bottom/4mm .25mm,linear-gradient(#000,#000) left bottom/.25mm 4mm,
          linear-gradient(#000,#000) right bottom/4mm .25mm,linear-gradient(#000,#000) right bottom/.25mm 4mm;background-repeat:no-repeat}
        .a4 .echo-card{border:0;border-radius:0;padding:1mm 2mm;height:100%;font-size:8.5pt;display:flex;flex-direction:column}
        .a4 .card-part{flex:1 1 auto}.a4 .per6 .promise{font-size:7.5pt}.a4 svg.qr{width:24mm;height:24mm}
        .a4 .cut-line{margin:2mm -2mm 1mm}
        .muted{color:var(--muted)}
        .due-list{list-style:none;margin:0;padding:0}.due-visit p{margin:4px 0}.due-visit.late{border-left:4px solid var(--red)}
        .c-kept{color:#0f5227;background:#e8f5ec;border-color:#a9d8b6}.c-pending{color:#444;background:#f3f4f6;border-color:#ccc}
        .c-late{color:#6b3d00;background:#fff4dc;border-color:#e7c27a}.c-missed{color:#8a1010;background:#fdecea;border-color:#f0a9a3}
        .outcomes label{display:inline-flex;gap:6px;margin:4px 14px 4px 0;font-weight:400}.outcomes input{width:auto}
        .pager{display:flex;gap:12px;align-items:center;margin:8px 0}
        @media (max-width:600px){th,td{padding:6px 5px}.hide-narrow{display:none}h1{font-size:1.3rem}.ticket .big{font-size:1.6rem}}
        @media print{header.top,footer,nav,.no-print,form button{display:none!important}body{background:#fff}main{max-width:none;padding:0}
          .card,.table-wrap,.chart{border:0}.a4{margin:0}body.print-page{margin:0}body.print-page main{padding:0}}
        """

    static let js = """
        document.addEventListener('click',function(e){var t=e.target.closest('[data-print]');if(t){e.preventDefault();window.print();}});
        document.querySelectorAll('button[data-print]').forEach(function(b){b.hidden=false;});
        """
}
