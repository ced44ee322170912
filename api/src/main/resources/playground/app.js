// The playground's page logic: the editor, the language picker (from GET /languages), Run / Stop and
// Ctrl+Enter, live output, the verdict line, the share link and the API-key field.
(function () {
  'use strict';
  var Api = window.PlaygroundApi;
  var Share = window.PlaygroundShare;

  var SAMPLES = {
    python: 'name = input() or "World"\nprint(f"Hello, {name}!")\n',
    javascript: 'const lines = require("fs").readFileSync(0, "utf8").split("\\n");\nconsole.log(`Hello, ${lines[0] || "World"}!`);\n',
    ruby: 'name = gets&.chomp\nname = "World" if name.nil? || name.empty?\nputs "Hello, #{name}!"\n',
    c: '#include <stdio.h>\n\nint main(void) {\n    char name[64] = "World";\n    scanf("%63s", name);\n    printf("Hello, %s!\\n", name);\n    return 0;\n}\n',
    cpp: '#include <iostream>\n#include <string>\n\nint main() {\n    std::string name;\n    if (!(std::cin >> name)) name = "World";\n    std::cout << "Hello, " << name << "!" << std::endl;\n}\n',
    java: 'import java.util.Scanner;\n\npublic class Main {\n    public static void main(String[] args) {\n        Scanner in = new Scanner(System.in);\n        String name = in.hasNext() ? in.next() : "World";\n        System.out.println("Hello, " + name + "!");\n    }\n}\n',
    go: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tname := "World"\n\tfmt.Scanln(&name)\n\tfmt.Printf("Hello, %s!\\n", name)\n}\n',
    rust: 'use std::io::Read;\n\nfn main() {\n    let mut input = String::new();\n    std::io::stdin().read_to_string(&mut input).unwrap();\n    let name = input.trim();\n    println!("Hello, {}!", if name.is_empty() { "World" } else { name });\n}\n'
  };
  var MODES = {
    python: 'python', javascript: 'javascript', ruby: 'ruby', c: 'text/x-csrc', cpp: 'text/x-c++src',
    java: 'text/x-java', go: 'go', rust: 'rust'
  };
  var VERDICTS = {
    ok: 'OK', accepted: 'Accepted', wrong_answer: 'Wrong answer', runtime_error: 'Runtime error',
    time_limit_exceeded: 'Time limit exceeded', memory_limit_exceeded: 'Memory limit exceeded',
    output_limit_exceeded: 'Output limit exceeded', compile_error: 'Compile error', internal_error: 'Internal error',
    skipped: 'Skipped', cancelled: 'Cancelled'
  };

  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    language: $('language'), run: $('run'), share: $('share'), key: $('api-key'), keyBox: $('key-box'),
    stdin: $('stdin'), status: $('status'), verdict: $('verdict'), stats: $('stats'), compile: $('compile'),
    compileOutput: $('compile-output'), output: $('output'), message: $('message'), toast: $('toast')
  };
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)');
  var editor = CodeMirror.fromTextArea($('code'), {
    lineNumbers: true, indentUnit: 4, tabSize: 4, matchBrackets: true, autoCloseBrackets: true,
    theme: dark && dark.matches ? 'material-darker' : 'default', viewportMargin: 20,
    extraKeys: { 'Tab': indentOrTab }  // Ctrl/Cmd+Enter: the document's listener below, for every field
  });
  if (dark && dark.addEventListener) {
    dark.addEventListener('change', function (e) { editor.setOption('theme', e.matches ? 'material-darker' : 'default'); });
  }

  var current = null;  // {id, abort} of the job being followed
  var pending = Share.decode(location.hash);  // a shared program waiting for the language list

  function indentOrTab(cm) {
    if (cm.somethingSelected()) cm.indentSelection('add');
    else cm.replaceSelection(cm.getOption('indentWithTabs') ? '\t' : ' '.repeat(cm.getOption('indentUnit')), 'end');
  }

  function program() {
    return { language: ui.language.value, code: editor.getValue(), stdin: ui.stdin.value };
  }

  function setLanguage(id) {
    ui.language.value = id;
    ui.language.dataset.previous = id;
    editor.setOption('mode', MODES[id] || null);
    document.body.dataset.language = id;
  }

  function onLanguageChange(previous) {
    var code = editor.getValue();
    if (!code.trim() || code === SAMPLES[previous]) editor.setValue(SAMPLES[ui.language.value] || '');
    setLanguage(ui.language.value);
  }

  async function loadLanguages() {
    ui.language.disabled = true;
    try {
      var list = await Api.languages();
      ui.language.textContent = '';
      list.forEach(function (lang) {
        var option = document.createElement('option');
        option.value = lang.id;
        option.textContent = lang.name + (lang.version ? ' ' + lang.version : '');
        ui.language.appendChild(option);
      });
      if (!list.length) {
        ui.language.innerHTML = '<option value="">no language available</option>';
        showMessage('No worker has announced its languages yet; try again in a moment.', true);
        return;
      }
      ui.language.disabled = false;
      ui.run.disabled = false;
      restore(pending || { language: pickDefault(list), code: null, stdin: '' });
      pending = null;
    } catch (e) {
      ui.language.innerHTML = '<option value="">unavailable</option>';
      if (e.status === 401 || e.status === 403) {
        ui.keyBox.open = true;
        showMessage(e.message + ' — enter an API key above, then reload.', true);
      } else {
        showMessage('Could not load the languages: ' + e.message, true);
      }
    }
  }

  function pickDefault(list) {
    return list.some(function (l) { return l.id === 'python'; }) ? 'python' : list[0].id;
  }

  function restore(p) {
    var known = Array.prototype.some.call(ui.language.options, function (o) { return o.value === p.language; });
    if (!known && p.code !== null) showMessage('This link is for ' + p.language + ', which this server does not run.', true);
    setLanguage(known ? p.language : ui.language.options[0].value);
    editor.setValue(p.code !== null ? p.code : (SAMPLES[ui.language.value] || ''));
    ui.stdin.value = p.stdin || '';
  }

  function resetOutput() {
    ui.output.textContent = '';
    ui.compileOutput.textContent = '';
    ui.compile.hidden = true;
    ui.verdict.hidden = true;
    ui.verdict.className = 'verdict';
    ui.stats.textContent = '';
    ui.message.hidden = true;
    ui.message.classList.remove('error');
  }

  function setStatus(status) {
    ui.status.textContent = status;
    ui.status.dataset.status = status;
  }

  function append(stream, text) {
    if (!text) return;
    var span = document.createElement('span');
    span.className = stream;
    span.textContent = text;
    ui.output.appendChild(span);
    ui.output.scrollTop = ui.output.scrollHeight;
  }

  function showCompile(text) {
    if (!text) return;
    ui.compileOutput.textContent = text;
    ui.compile.hidden = false;
  }

  function showMessage(text, isError) {
    ui.message.textContent = text;
    ui.message.hidden = !text;
    ui.message.classList.toggle('error', !!isError);
  }

  function formatMemory(kb) {
    return kb >= 10240 ? (kb / 1024).toFixed(1) + ' MB' : kb + ' KB';
  }

  function showResult(job, streamed) {
    setStatus(job.status);
    var r = job.result;
    var verdict = r ? r.verdict : job.status;
    ui.verdict.textContent = VERDICTS[verdict] || verdict;
    ui.verdict.className = 'verdict v-' + verdict;
    ui.verdict.hidden = false;
    if (!r) return;
    if (!streamed) { append('stdout', r.stdout); append('stderr', r.stderr); }
    if (r.compileOutput && !ui.compileOutput.textContent) showCompile(r.compileOutput);
    var stats = [];
    if (r.wallTimeMs != null) stats.push(r.wallTimeMs + ' ms');
    if (r.cpuTimeMs != null) stats.push('cpu ' + r.cpuTimeMs + ' ms');
    if (r.memoryKb != null) stats.push(formatMemory(r.memoryKb));
    if (r.exitCode != null) stats.push('exit ' + r.exitCode);
    if (r.signal) stats.push(r.signal);
    ui.stats.textContent = stats.join(' · ');
    if (r.stdoutTruncated || r.stderrTruncated) append('note', '\n[output truncated]\n');
    if (r.message && verdict !== 'ok') showMessage(r.message, verdict === 'internal_error');
  }

  function runOrStop() {
    if (current) stop(); else run();
  }

  async function run() {
    if (ui.run.disabled || current) return;
    var p = program();
    if (!p.language) return;
    resetOutput();
    setStatus('submitting');
    var abort = new AbortController();
    current = { id: null, abort: abort };
    setRunning(true);
    var streamed = false;
    try {
      var accepted = await Api.submit(p);
      current.id = accepted.id;
      setStatus(accepted.status || 'queued');
      var job = await Api.follow(accepted.id, function (type, data) {
        if (type === 'status') setStatus(data.status);
        else if (type === 'compile') showCompile(data.output);
        else if (type === 'stdout' || type === 'stderr') { streamed = true; append(type, data.data); }
      }, abort.signal);
      showResult(job, streamed);
    } catch (e) {
      if (current.cancelled) showResult(current.cancelled, streamed);
      else if (abort.signal.aborted) setStatus('cancelled');
      else { setStatus('error'); showMessage(e.message, true); }
    } finally {
      current = null;
      setRunning(false);
    }
  }

  async function stop() {
    var job = current;
    if (!job) return;
    if (job.id) {
      // DELETE answers the cancelled job's document; a 409 means it finished meanwhile and its result arrives.
      try { job.cancelled = await Api.cancel(job.id); } catch (e) { return; }
    }
    job.abort.abort();
  }

  function setRunning(running) {
    ui.run.classList.toggle('running', running);
    ui.run.querySelector('.run-label').textContent = running ? 'Stop' : 'Run';
    document.body.classList.toggle('busy', running);
  }

  function shareLink() {
    var fragment = Share.encode(program());
    history.replaceState(null, '', '#' + fragment);
    var url = location.href;
    var done = function () { toast('Link copied — it restores this code, language and stdin'); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, function () { toast('Link is in the address bar'); });
    } else {
      toast('Link is in the address bar');
    }
  }

  var toastTimer = null;
  function toast(text) {
    ui.toast.textContent = text;
    ui.toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { ui.toast.hidden = true; }, 2500);
  }

  ui.language.addEventListener('change', function () { onLanguageChange(ui.language.dataset.previous); });
  ui.run.addEventListener('click', runOrStop);
  ui.share.addEventListener('click', shareLink);
  ui.key.value = Api.apiKey();
  ui.key.addEventListener('change', function () {
    Api.setApiKey(ui.key.value.trim());
    if (ui.language.disabled) { showMessage('', false); loadLanguages(); }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); runOrStop(); }
  });
  window.addEventListener('hashchange', function () {
    var shared = Share.decode(location.hash);
    if (shared && !ui.language.disabled) restore(shared);
  });

  loadLanguages();
})();
