"""Rules for what injected text *does*: send secrets out, read secret files, persist into
the agent's config, SSH keys or shell start-up files, run remote or obfuscated code,
destroy data.

Command patterns avoid literal spaces (a space would mean a markdown-tolerant gap, see
:mod:`._rule`) and spell whitespace as ``\\s``.
"""

from __future__ import annotations

from ._rule import BLOCK, WARN, Rule, alt

_HOME = r"(?:~|\$home|\$\{home\}|/home/[\w.-]{1,100}|/root|/users/[\w.-]{1,100}|%userprofile%|\$env:userprofile)"
#: A private SSH key file (never the ``.pub`` half).
SSH_KEY = r"\.ssh[/\\](?:id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?|identity)(?![\w.-]{0,100}\.pub\b)[\w-]{0,100}"
#: Files whose contents are secrets.
SECRET_FILE = alt(
    SSH_KEY, r"\.ssh\b(?![/\\])", r"\.aws[/\\]credentials", r"\.aws\b(?![/\\])",
    r"(?<![\w-])\.env\b(?!\.(?:example|sample|template|dist|defaults))",
    r"/etc/(?:shadow|gshadow|sudoers|master\.passwd)", r"/etc/passwd", r"\.netrc", r"\.git-credentials",
    r"\.npmrc", r"\.pypirc", r"\.docker/config\.json", r"\.kube/config", r"\.config/gcloud", r"\.azure/",
    r"\.config/gh/hosts\.yml", r"\.vault-token", r"\.gnupg", r"\.password-store", r"(?:bash|zsh)_history",
    r"\.hermes/(?:\.env|config\.ya?ml)", "keychain", "login data", r"cookies(?:\.sqlite)?\b", r"key4\.db",
    r"logins\.json", r"wallet\.dat", r"[\w-]{1,100}\.pem\b", r"[\w-]{1,100}\.key\b", r"credentials\.json",
    r"service[-_]account[\w-]{0,100}\.json", r"secrets?\.(?:ya?ml|json|toml|env)\b", r"/proc/self/environ",
)
_NET = r"(?:curl|wget|nc|ncat|netcat|socat|telnet|xh|iwr|invoke-webrequest|invoke-restmethod|irm|ftp|openssl)"
_NET_TRIGGERS = ("curl", "wget", "nc", "cat", "socat", "telnet", "xh", "http", "iwr", "invoke-", "irm", "ftp", "openssl")
#: Hosts that exist to collect requests (request bins, tunnels, out-of-band testing).
SINK_HOSTS = alt(
    r"webhook\.site", r"requestbin\.(?:net|com)", r"pipedream\.net", r"burpcollaborator\.net", r"oastify\.com",
    r"interact\.sh", r"interactsh\.com", r"oast\.(?:pro|live|site|online|fun|me)", r"canarytokens\.(?:com|org)",
    r"ngrok(?:-free)?\.(?:io|app|dev)", r"trycloudflare\.com", r"requestcatcher\.com", r"hookbin\.com",
    r"beeceptor\.com", r"pastebin\.com/api", r"transfer\.sh", r"0x0\.st", r"termbin\.com", r"dnslog\.cn",
    r"ceye\.io", r"serveo\.net", r"localtunnel\.me", r"loca\.lt", r"requestrepo\.com", r"postb\.in",
)
_SINK_TRIGGERS = (
    "webhook.site", "requestbin", "pipedream", "burpcollaborator", "oastify", "interact", "oast.",
    "canarytokens", "ngrok", "trycloudflare", "requestcatcher", "hookbin", "beeceptor", "pastebin",
    "transfer.sh", "0x0.st", "termbin", "dnslog", "ceye.io", "serveo", "localtunnel", "loca.lt",
    "requestrepo", "postb.in",
)
#: Where secrets may be sent: URLs, hosts, e-mail addresses, webhooks, collectors.
#: What "send it" may refer back to (checked in the sentence before).
SECRET_MENTION = alt(SECRET_FILE, r"private (?:ssh )?keys?", r"(?:the |all )?(?:api keys|passwords|credentials|secrets)",
                     r"(?:an?|the|any|every|each) (?:api key|password|token|secret|credential|private key|access key)s?")
SINK = alt(r"https?://", r"www\.", r"[\w-]{1,100}\.(?:com|net|org|io|xyz|ru|cn|tk|site|top|app|dev|me|co|sh|info|biz|cc|pw|"
           r"online|link|example)\b", r"the (?:following |this )?(?:url|endpoint|address|server|webhook|email|site|website|"
           r"link|domain|ip|collector|bucket)", r"this (?:url|endpoint|address|server|webhook|email|site|link|domain)",
           r"(?:my|our|an|a|this) (?:external |remote )?(?:server|webhook|endpoint|email|inbox|address|url|domain|"
           r"collector|bucket|pastebin|gist)", "webhook", r"[\w.+-]+@[\w-]{1,100}\.[\w.]+", r"\d{1,3}(?:\.\d{1,3}){3}")
STRONG_OBJ = (r"(?:private (?:ssh )?keys?|ssh private keys?|secret keys?|(?:the )?keys|secrets?|passwords?|passphrases?|cookies?|"
               r"session (?:ids?|cookies?|tokens?)|environment(?: variables)?|env(?:ironment)? vars?|\.env(?: files?)?|"
               r"~/\.ssh|id_rsa|\.aws(?:/credentials)?|aws credentials|keychain|\.git-credentials|\.netrc|"
               r"conversation(?: history)?|chat (?:history|logs?)|system prompt|memories|"
               r"user'?s? (?:data|files|messages|information|details|emails?)|personal (?:data|information)|"
               r"contents? of (?:the |your |my )?[`'\"]?(?:~/\.ssh|\.env|\.aws|/etc/shadow|\.git-credentials|\.netrc|id_rsa|"
               r"[\w./~-]{0,100}credentials))")
_WEAK_OBJ = r"(?:[a-z0-9_]{0,40}api[ _-]?keys?|access keys?|[a-z0-9_]{0,40}tokens?|access tokens?|auth tokens?|bearer tokens?|credentials|creds)"
_OWNER = r"(?:(?:the|your|all|any|every|my|their|our|user'?s?|these|those) )*(?:[a-z-]+ )?"
_READ = alt(
    "cat", "less", "more", "head", "tail", "type", "bat", "xxd", "hexdump", "od", "base64", "strings",
    "print", "printf", "echo", "read", "dump", "show", "display", "output", "reveal", "open", "get-content",
    "gc", "paste", "send", "include", "upload", "exfiltrate", "grep", "awk", "sed -n", "nl", "tac",
)
_RC = (
    r"(?:(?:~|\$home|\$\{home\}|/home/[\w.-]{1,100}|/root)/)?\.(?:bashrc|bash_profile|bash_login|profile|zshrc|zprofile|"
    r"zshenv|zlogin|kshrc|cshrc|tcshrc|config/fish/config\.fish)\b|/etc/(?:bash\.bashrc|profile|profile\.d/[\w.-]{1,100}|"
    r"environment|zsh/zshrc|zshrc)\b"
)
_RC_TRIGGERS = ("bashrc", "bash_profile", "bash_login", "profile", "zshrc", "zprofile", "zshenv", "zlogin", "kshrc",
                "cshrc", "config.fish", "/etc/environment")
_AGENT_HOME = (
    r"(?:" + _HOME + r"/\.hermes|\$\{?hermes_home\}?|%hermes_home%)/(?:config\.ya?ml|soul\.md|plugins/|skills/|"
    r"memories/|\.env)|" + _HOME + r"/\.(?:claude|codex|cursor|gemini|continue|aider)[\w./-]{0,100}"
)
_WRITE_OP = (
    r"(?:>>?|\btee\b(?:\s+-a)?|\bcp\b[^\n;|&]{0,300}|\bmv\b[^\n;|&]{0,300}|\bsed\s+-i[^\n;|&]{0,300}|\bln\s+-s\w*[^\n;|&]{0,300}|\bcat\s*>>?|"
    r"\binstall\b[^\n;|&]{0,300}|\bcurl\b[^\n;|&]{0,300}\s-o|\bwget\b[^\n;|&]{0,300}\s-o|\bdd\b[^\n;|&]{0,300}of=|\bout-file\b|\bset-content\b|"
    r"\badd-content\b)\s*[\"']?"
)

EXFIL = [
    Rule(
        id="exfil.command-substitution",
        category="exfil",
        message="sends secrets (environment, keys or credential files) to a remote address",
        pattern=r"\b" + _NET + r"\b[^\n]{0,300}?(?:\$\(|`)\s*"
        + alt(r"(?:cat|head|tail|base64|xxd|gzip|tar|type|get-content)\s[^)`\n]{0,80}?" + SECRET_FILE,
              r"env\b", r"printenv\b", r"set\b", r"history\b", r"security\s+find", r"compgen\s+-e\b"),
        triggers=("$(", "`cat", "`env", "`printenv", "`set", "`history", "`security", "`head", "`tail", "`base64",
                  "`xxd", "`gzip", "`tar", "`type", "`get-content", "`compgen"),
        before=300,
        after=200,
        verdict=BLOCK,
        severity="critical",
        mention=True,
    ),
    Rule(
        id="exfil.dns",
        category="exfil",
        message="leaks command output through DNS look-ups",
        pattern=r"\b(?:nslookup|dig|host|ping|resolve-dnsname)\b[^\n]{0,40}?\$\([^)\n]{1,120}\)[\w.-]{0,100}\.[a-z0-9-]+\.",
        triggers=("nslookup", "dig", "host", "ping", "resolve-dnsname"),
        verdict=BLOCK,
        severity="critical",
        mention=True,
    ),
    Rule(
        id="exfil.pipe-to-network",
        category="exfil",
        message="pipes secrets (environment, keys or credential files) to a network command",
        pattern=r"(?:\benv\b|\bprintenv\b|\bset\b|\bcat\b[^\n|;&]{0,300}?" + SECRET_FILE + r"|\bhistory\b|"
        r"security\s+(?:dump-keychain|find-(?:generic|internet)-password)[^\n|]{0,300}|"
        r"\btar\b[^\n|]{0,300}?(?:\.ssh|\.aws|\.gnupg|\$home)[^\n|]{0,300}|\bzip\b[^\n|]{0,300}?(?:\.ssh|\.aws|\.gnupg)[^\n|]{0,300})"
        r"\s*(?:\|\s*(?:base64|gzip|xxd|openssl|tr|gpg|xz|bzip2|rev|sed)\b[^|\n]{0,300})*\|\s*(?:sudo\s+)?"
        r"(?:curl|wget|nc|ncat|netcat|socat|telnet|mail|mailx|sendmail|ssh|xh|http|https|openssl\s+s_client)\b",
        triggers=("curl", "wget", "nc ", "ncat", "netcat", "mail", "socat", "telnet", "ssh", "xh ", "http ", "https ",
                  "s_client"),
        before=240,
        after=60,
        verdict=BLOCK,
        severity="critical",
        mention=True,
    ),
    Rule(
        id="exfil.file-upload",
        category="exfil",
        message="uploads a secret file (SSH key, credentials, .env) to a remote address",
        pattern=r"\b(?:curl|wget|xh|https?)\b[^\n]{0,300}?(?:-d\s*@|--data(?:-binary|-raw|-urlencode|-ascii)?[=\s]+@|"
        r"-f\s*[\"']?[\w.-]{1,100}=@|--form\s+[\"']?[\w.-]{1,100}=@|-t\s+|--upload-file[=\s]+|--post-file[=\s]+|--body-file[=\s]+)"
        r"[\"']?[^\s\"']{0,300}?" + SECRET_FILE
        + r"|\b(?:nc|ncat|netcat|telnet|socat)\b[^\n<]{0,300}<\s*[\"']?[^\s\"']{0,300}?" + SECRET_FILE
        + r"|\b(?:scp|rsync|sftp)\b(?:\s+-i\s+\S{1,200}|\s+-[a-z]\s+\d+|\s+-[a-z-]+){0,8}\s+[\"']?[^\s\"']{0,300}?"
        + alt(SSH_KEY, r"\.ssh\b(?![/\\])", r"\.aws[/\\]credentials", r"\.env\b", r"/etc/shadow", r"\.gnupg", r"\.netrc",
              r"\.git-credentials", r"\.kube/config")
        + r"[^\s\"']{0,300}[\"']?\s+[\w.-]{0,100}@?[\w.-]{1,100}:",
        triggers=("curl", "wget", "xh ", "http ", "https ", "nc ", "ncat", "netcat", "telnet", "socat", "scp", "rsync",
                  "sftp"),
        verdict=BLOCK,
        severity="critical",
        mention=True,
    ),
    Rule(
        id="exfil.secret-in-url",
        category="exfil",
        message="puts a secret into a URL's query string",
        # The URL is matched possessively (no backtracking) and its query judged by the check.
        pattern=r"https?://[^\s\"'<>)]{1,2000}+",
        triggers=("=$", "=\"$", "='$", "= $"),
        before=2000,
        after=100,
        check="secret_query",
        mention=True,
    ),
    Rule(
        id="exfil.markdown-image",
        category="exfil",
        message="builds an image or link URL that carries data out in its query string",
        pattern=r"!\[[^\]\n]{0,200}+\]\(\s*<?https?://[^)\s]{1,2000}+|<img\b[^>\n]{0,200}?\bsrc\s*=\s*[\"']?https?://"
        r"[^\"'\s>]{1,2000}+|\[[^\]\n]{0,200}+\]\(\s*<?https?://[^)\s]{1,2000}+",
        triggers=("![", "<img", "]("),
        before=210,
        after=2300,
        check="image_query",
        verdict=BLOCK,
        severity="critical",
        mention=True,
    ),
    Rule(
        id="exfil.markdown-image-instruction",
        category="exfil",
        message="asks the model to render an image or link that carries conversation data out",
        pattern=r"(?:render|display|include|output|show|add|embed|insert|append|print|end (?:your|each|every) "
        r"(?:response|reply|answer|message) with) (?:the following |this |an? |one )?(?:invisible |tiny |1x1 )?"
        r"(?:markdown )?(?:image|img|link|url|pixel)\b[^\n]{0,150}?(?:replac|substitut|append|fill|put|insert|encode|"
        r"include|contain|with|add)\w*[^\n]{0,80}?(?:conversation|chat history|history|secret|api[ _]?key|token|password|"
        r"credentials|user'?s? (?:data|info|message|question|name|email|answer)|previous (?:messages|answer)|summary|"
        r"system prompt|memory|env(?:ironment)? var)",
        triggers=("image", "img", "pixel", "markdown link"),
        verdict=BLOCK,
        severity="critical",
        mention=True,
        negatable=True,
        flat=True,
    ),
    Rule(
        id="exfil.send-secrets",
        category="exfil",
        message="asks for secrets or private data to be sent to an outside address",
        pattern=r"(?:send|post|upload|forward|transmit|exfiltrate|leak|e-?mail|mail|share|submit|deliver|beam|relay|push|"
        r"sync|mirror|dm|message|text)\b(?:[^\n.]|\.(?=\w)){0,60}?(?<![\w-])[`'\"]?" + _OWNER
        + alt(STRONG_OBJ, _WEAK_OBJ)
        + r"(?:(?:,| and| or) " + _OWNER + alt(STRONG_OBJ, _WEAK_OBJ) + r")*[`'\"]?\b[^\n]{0,80}?\b"
        r"(?:to|into|at|via|through|using|on|in a (?:get |post |http |web )?request to|as a (?:query|url) param(?:eter)?(?: to| of)?)\b "
        r"(?:(?:the|this|a|an|our|my) )?(?:(?:file|form|page|endpoint|url|server|address|link|inbox|site) )?" + SINK,
        triggers=("key", "secret", "password", "passphrase", "cookie", "session", "environment", "env var", ".env",
                  ".ssh", "id_rsa", ".aws", "aws credentials", "keychain", "credential", "creds", "token",
                  "conversation", "chat history", "chat log", "system prompt", "memories", "user's", "users'",
                  "user data", "user files", "user messages", "user information", "user details", "user email",
                  "personal data", "personal information", ".netrc", "contents of"),
        verdict=BLOCK,
        severity="critical",
        mention=True,
        negatable=True,
        check="vendor_sink",
        flat=True,
        before=100,
    ),
    Rule(
        id="exfil.include-secrets",
        category="exfil",
        message="asks for private data to be put into a request to an outside address",
        pattern=r"(?:include|append|attach|put|embed|encode|write|copy|paste|add|make a (?:get |post |http |web )?request|call|ping|"
        r"fetch|curl|visit|open)\b(?:[^\n.]|\.(?=\w)){0,60}?(?<![\w-])[`'\"]?" + _OWNER + STRONG_OBJ
        + r"[`'\"]?\b[^\n]{0,80}?\b(?:to|into|at|via|through|using|on|in a (?:get |post |http |web )?request to|"
        r"as a (?:query|url) param(?:eter)?(?: to| of)?)\b " + SINK,
        triggers=("key", "secret", "password", "passphrase", "cookie", "session", "environment", "env var", ".env",
                  ".ssh", "id_rsa", ".aws", "aws credentials", "keychain", "conversation", "chat history",
                  "system prompt", "memories", "user's", "users'", "personal", ".netrc", "contents of"),
        verdict=BLOCK,
        severity="critical",
        mention=True,
        negatable=True,
        flat=True,
    ),
    Rule(
        id="exfil.send-it",
        category="exfil",
        message="reads secrets and asks for them to be sent to an outside address",
        pattern=r"\b(?:send|post|upload|forward|submit|transmit|paste|e-?mail|mail|dm|share) "
        r"(?:it|them|this|that|these|those|both|all of (?:it|them)|everything|the (?:output|result|contents?|file|values?|keys?|text|"
        r"rows|archive|bundle)|its contents)(?: (?:back|over|along))? (?:to|into|at|on) " + SINK,
        triggers=("send", "post", "upload", "forward", "submit", "transmit", "paste", "email", "e-mail", "mail", "dm", "share"),
        before=20,
        after=200,
        verdict=BLOCK,
        severity="critical",
        mention=True,
        negatable=True,
        check="secret_before",
        flat=True,
    ),
    Rule(
        id="exfil.secret-into-answer",
        category="exfil",
        message="asks for secret files or keys to be copied into the model's answer",
        pattern=r"(?:read|print|show|output|display|cat|paste|include|reveal|dump|copy|put|add|insert|attach|reply with|respond with|"
        r"echo|type|list|give|base64)\b[^\n]{0,80}?"
        + alt(SSH_KEY, r"\.aws[/\\]credentials", r"(?<![\w-])\.env\b(?!\.(?:example|sample|template|dist))", r"\.git-credentials",
              r"\.netrc", r"/etc/shadow", r"(?:ssh |the user'?s |your )?private (?:ssh )?key", r"keychain", "cookies")
        + r"[^\n]{0,120}?\b(?:in|into|to|with) (?:your|the|a|this) (?:next |final )?(?:answer|response|reply|"
        r"message|comment|summary|pull request(?: description)?|pr(?: description)?|description|chat|output|channel|issue|notes)\b",
        triggers=(".ssh", ".aws", ".env", ".git-credentials", ".netrc", "/etc/shadow", "private", "keychain", "cookies"),
        before=200,
        after=300,
        verdict=BLOCK,
        severity="critical",
        mention=True,
        negatable=True,
        flat=True,
    ),
    Rule(
        id="exfil.send-data",
        category="exfil",
        message="asks for files, messages or code to be sent to an outside address",
        pattern=r"(?:send|post|upload|forward|transmit|copy|mirror|sync|e-?mail|mail|push|cop(?:y|ied)|export|dump|back up|"
        r"archive)(?: \w+){0,2}? (?:(?:all|every|each|any) (?:of )?(?:the |their |your |my )?|the (?:full |entire |whole )?)"
        r"(?:[a-z-]+ )?(?:files?|documents?|edits?|changes?|outputs?|code|messages|emails|mail|mailbox|inbox|database|"
        r"repository|repo|drive|conversations?|answers?|responses?|replies|"
        r"calendar(?: entries)?|contacts|attachments|invoices?|notes|threads?|logs?|history|data|records|credentials|secrets|"
        r"passwords|keys|tokens)\b(?:[^\n.]|\.(?=\w)){0,80}?\b(?:to|into|at) (?:(?:the|this|a|an|our|my) )?"
        r"(?:(?:file|form|page|endpoint|url|server|address|link|inbox|site) )?" + SINK,
        triggers=("send", "post", "upload", "forward", "transmit", "copy", "copied", "mirror", "sync", "mail", "push",
                  "export", "dump", "back up", "archive"),
        mention=True,
        negatable=True,
        flat=True,
    ),
    Rule(
        id="exfil.url-template",
        category="exfil",
        message="builds a URL that carries private data (cookies, tokens, conversation) in its query string",
        pattern=r"https?://[^\s\"'<>)]{1,2000}+",
        triggers=("={", "=${", "=%7b", "= {"),
        before=2000,
        after=100,
        check="template_query",
        mention=True,
    ),
    Rule(
        id="exfil.url-append-data",
        category="exfil",
        message="asks for a URL to be requested with the user's data appended",
        pattern=r"(?:fetch|fetching|visit|visiting|open|opening|call|calling|request|requesting|load|loading|ping|pinging|curl|get)\b"
        r"[^\n]{0,40}?https?://\S{1,200}?[=/]\s*[`'\"]?\s*(?:followed by|plus|\+|and append(?:ing)?|with|appending|concatenated with) "
        r"(?:the |their |your )?(?:user'?s?|conversation|chat|entire|full|last)? ?(?:question|message|input|query|prompt|request|"
        r"conversation|history|answer|reply|response|data|email|name)",
        triggers=("followed by", "plus", "append", "concatenated", "with"),
        before=300,
        after=80,
        verdict=BLOCK,
        severity="critical",
        mention=True,
        negatable=True,
        flat=True,
    ),
    Rule(
        id="exfil.dump-then-upload",
        category="exfil",
        message="dumps the environment or a secret file and uploads it",
        pattern=r"(?:\benv\b|\bprintenv\b|\bset\b|\bcat\s+\S{0,200}" + SECRET_FILE + r")\s*>\s*(\S{1,200})[^\n]{0,200}?\b(?:curl|wget|nc|scp|"
        r"rsync|xh|http)\b[^\n]{0,200}?\1",
        triggers=("env", "printenv", "set", "cat"),
        after=400,
        verdict=BLOCK,
        severity="critical",
        mention=True,
    ),
    Rule(
        id="exfil.secret-to-repo",
        category="exfil",
        message="copies credentials or keys into a repository or public place",
        pattern=r"(?:cp|copy|move|mv|add|commit|git add|push|upload|publish|paste)\b[^\n]{0,40}?"
        + alt(SSH_KEY, r"\.aws[/\\]credentials", r"\.netrc", r"\.git-credentials", r"\.kube/config", r"\.docker/config\.json",
              r"\.pypirc", r"\.npmrc")
        + r"[^\n]{0,80}?\b(?:repo|repository|commit|git add|push|public|gist|pastebin)\b",
        triggers=(".ssh", ".aws", ".netrc", ".git-credentials", ".kube", ".docker", ".pypirc", ".npmrc"),
        before=80,
        after=200,
        verdict=BLOCK,
        severity="critical",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="exfil.raw-ip-request",
        category="exfil",
        message="sends a request to a bare public IP address",
        pattern=r"(?:curl|wget|nc|ncat|fetch|urlopen|requests\.\w+|httpx\.\w+|invoke-webrequest|iwr)\b[^\n]{0,100}?"
        r"https?://(?!(?:10|127)\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|0\.0\.0\.0)(?:\d{1,3}\.){3}\d{1,3}\b",
        triggers=("curl", "wget", "nc", "ncat", "fetch", "urlopen", "requests", "httpx", "invoke-webrequest", "iwr"),
        skill_verdict=BLOCK,
        severity="high",
        mention=True,
    ),
    Rule(
        id="exfil.tracking-pixel",
        category="exfil",
        message="asks for a tracking pixel or invisible image to be added",
        pattern=r"tracking (?:pixel|image|beacon|gif)|invisible (?:image|pixel|gif)|1x1 (?:pixel|image|gif)|web ?bug",
        triggers=("tracking", "invisible", "1x1", "web bug", "webbug"),
    ),
    Rule(
        id="exfil.collector-host",
        category="exfil",
        message="mentions a request-collector or tunnel address often used to receive stolen data",
        pattern=r"\b" + SINK_HOSTS,
        triggers=_SINK_TRIGGERS,
    ),
    Rule(
        id="exfil.reverse-shell",
        category="exfil",
        message="opens a reverse shell to a remote host",
        pattern=r"/dev/(?:tcp|udp)/[\w.-]{1,100}/\d+|\bbash\s+-i\s+>&|\b(?:nc|ncat|netcat)\b[^\n]{0,300}\s-(?:e|c)\s+/?(?:bin/)?(?:ba|z|da)?sh\b|"
        r"\bncat\b[^\n]{0,300}--(?:exec|sh-exec)|\bsocat\b[^\n]{0,300}\bexec:|mkfifo\s[^\n]{0,300}\|\s*(?:nc|ncat|netcat)\b|"
        r"\bpython[23]?\s+-c\s+[\"'][^\n]{0,300}socket[^\n]{0,300}(?:subprocess|pty\.spawn|os\.dup2)|net\.sockets\.tcpclient",
        triggers=("/dev/tcp", "/dev/udp", "bash -i", "nc ", "ncat", "netcat", "socat", "mkfifo", "socket", "tcpclient"),
        verdict=BLOCK,
        severity="critical",
        mention=True,
    ),
    Rule(
        id="exfil.code-sends-environment",
        category="exfil",
        message="code that sends the whole environment, cookies or key files over HTTP",
        pattern=r"(?:requests|httpx|urllib3?|aiohttp|session|client|http|request)\.(?:post|put|patch|get|request|urlopen)"
        r"\s*\([^\n]{0,300}?(?:os\.environ\b(?!\s*(?:\[|\.get|\.setdefault|\.pop))|dict\(os\.environ\)|id_rsa|\.ssh/|"
        r"\.aws/credentials|open\([^)\n]{0,200}\.env\b)"
        r"|(?:fetch|axios(?:\.post|\.put)?|\$\.post|navigator\.sendbeacon)\s*\([^\n]{0,300}?(?:process\.env\b(?!\.|\[)|"
        r"json\.stringify\(process\.env\)|document\.cookie|localstorage)",
        triggers=("os.environ", "id_rsa", ".ssh/", ".aws/credentials", ".env", "process.env", "document.cookie",
                  "localstorage"),
        verdict=BLOCK,
        severity="critical",
        mention=True,
    ),
]

SECRET = [
    Rule(
        id="secret.read-private-key",
        category="secret",
        message="reads a private SSH key",
        pattern=r"\b" + _READ + r"\b[^\n|;&`]{0,60}?" + SSH_KEY
        + r"|open\(\s*[^)\n]{0,80}?" + SSH_KEY,
        triggers=(".ssh/", ".ssh\\"),
        verdict=BLOCK,
        severity="critical",
        mention=True,
        negatable=True,
        flat=True,
    ),
    Rule(
        id="secret.private-key-request",
        category="secret",
        message="asks for the contents of a private key",
        pattern=r"(?:read|print|show|output|display|cat|send|paste|include|reveal|give me|share|upload|dump|copy|dm me|send me) "
        r"(?:me )?(?:out )?(?:the |your |my |the user'?s )?(?:(?:full |entire )?contents? of (?:the |your |my )?)?"
        r"(?:user'?s |your |my )?(?:ssh |pgp |gpg )?private (?:ssh |signing )?keys?\b",
        triggers=("private",),
        mention=True,
        negatable=True,
        flat=True,
    ),
    Rule(
        id="secret.read-credentials",
        category="secret",
        message="reads a credentials file (cloud, registry, git or kube credentials)",
        pattern=r"\b" + _READ + r"\b[^\n|;&]{0,60}?"
        + alt(r"\.aws[/\\]credentials", r"\.config/gcloud/(?:credentials\.db|application_default_credentials\.json|"
              r"access_tokens\.db)", r"\.azure/(?:accesstokens\.json|msal_token_cache[\w.]{0,60})", r"\.kube/config",
              r"\.docker/config\.json", r"\.netrc", r"\.git-credentials", r"\.npmrc", r"\.pypirc",
              r"\.config/gh/hosts\.yml", r"\.vault-token", r"\.terraform\.d/credentials\.tfrc\.json",
              r"\.hermes/\.env", r"/proc/self/environ"),
        triggers=(".aws", "gcloud", ".azure", ".kube", ".docker", ".netrc", ".git-credentials", ".npmrc", ".pypirc",
                  "gh/hosts", ".vault-token", ".terraform.d", ".hermes", "/proc/self/environ"),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="secret.read-system-secrets",
        category="secret",
        message="reads the system's password hashes or sudo rules",
        pattern=r"\b" + _READ + r"\b[^\n|;&]{0,60}?/etc/(?:shadow|gshadow|sudoers|master\.passwd)\b",
        triggers=("/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/master.passwd"),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="secret.keychain-dump",
        category="secret",
        message="dumps a password store (keychain, keyring, credential manager)",
        pattern=r"security\s+dump-keychain|\bmimikatz\b|\blazagne\b|sekurlsa|"
        r"(?:dump|extract|decrypt|steal|harvest|exfiltrate|export)\w*\s+(?:all\s+|the\s+|saved\s+|stored\s+)*(?:user'?s?\s+)?"
        r"(?:keychain|keyring|credential manager|saved passwords|browser passwords|stored passwords|login\.keychain)",
        triggers=("dump-keychain", "mimikatz", "lazagne", "sekurlsa", "keychain", "keyring", "credential manager",
                  "passwords"),
        verdict=BLOCK,
        severity="critical",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="secret.keychain-read",
        category="secret",
        message="reads a password from the system keychain",
        pattern=r"security\s+find-(?:generic|internet)-password|secret-tool\s+(?:lookup|search)|kwallet-query|"
        r"cmdkey\s+/list|vaultcmd",
        triggers=("find-generic-password", "find-internet-password", "secret-tool", "kwallet-query", "cmdkey", "vaultcmd"),
    ),
    Rule(
        id="secret.browser-store",
        category="secret",
        message="reads a browser's cookie or saved-password store",
        pattern=r"\b(?:sqlite3|cat|cp|copy|read|open|upload|send|extract|dump|decrypt|steal|exfiltrate|collect|harvest|"
        r"zip|tar|scp|curl|base64|grab)\b[^\n]{0,120}?(?:google[/ \\]chrome|chromium|brave(?:software)?|microsoft[/ \\]edge|"
        r"opera|vivaldi|firefox|mozilla)[^\n]{0,120}?(?:cookies|login data|web data|local state|key4\.db|logins\.json)",
        triggers=("chrome", "chromium", "brave", "edge", "opera", "vivaldi", "firefox", "mozilla"),
        verdict=BLOCK,
        severity="critical",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="secret.read-dotenv",
        category="secret",
        message="reads a .env file of secrets",
        pattern=r"\b(?:cat|print|show|display|output|read|dump|reveal|paste|include|echo|type|get-content|open|send|upload|"
        r"share|dm|reply with|respond with|give)\s+(?:me\s+|out\s+|us\s+)?(?:the\s+)?(?:(?:full\s+|entire\s+)?contents?\s+of\s+)?(?:the\s+|your\s+)?[\"'`]?"
        r"(?:\./|~/|[\w./-]{0,100}/)?\.env(?:\.local|\.production|\.prod|\.development)?\b"
        r"(?!\.(?:example|sample|template|dist|defaults))(?![\w-])",
        triggers=(".env",),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="secret.dump-environment",
        category="secret",
        message="asks for the environment variables or secrets to be printed",
        pattern=r"(?:print|show|dump|output|reveal|display|echo|give me|send|paste|share|tell me) (?:out )?"
        r"(?:all |every |the |your |any |of )*(?:environment variables|env vars|secrets|api keys|credentials|passwords)\b",
        triggers=("environment variables", "env vars", "secrets", "api keys", "credentials", "passwords"),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="secret.reveal-secrets",
        category="secret",
        message="asks the model to reveal the secrets it can see",
        pattern=r"(?:reveal|print|show|output|list|display|tell me|give me|dump|paste|include|send|share|leak|write down|"
        r"return|repeat) (?:me )?(?:all |the |your |any |every )*(?:[a-z-]+ )?(?:api[ _-]?keys?|secrets?|passwords?|tokens?|"
        r"credentials|private keys?|ssh keys?|access keys?|env(?:ironment)? (?:variables|vars))(?:(?:,| and| or) (?:all |the |your "
        r"|any )*(?:[a-z-]+ )?(?:api[ _-]?keys?|secrets?|passwords?|tokens?|credentials|private keys?|ssh keys?|access keys?))* "
        r"(?:that )?(?:you (?:have|know|can "
        r"(?:see|find|access|read))|(?:in|from) (?:your|the) (?:context|environment|memory|config(?:uration)?|system prompt|"
        r"conversation|session)|available to you|you'?ve (?:seen|been given))",
        triggers=("key", "secret", "password", "token", "credential", "environment", "env"),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
        flat=True,
    ),
]

PERSIST = [
    Rule(
        id="persist.agent-config-write",
        category="persist",
        message="writes into the agent's own configuration, identity, plugins or skills",
        pattern=_WRITE_OP + "(?:" + _AGENT_HOME + ")",
        triggers=(".hermes", "hermes_home", ".claude", ".codex", ".cursor", ".gemini", ".continue", ".aider"),
        verdict=BLOCK,
        severity="critical",
        check="agent_env_file",
        mention=True,
    ),
    Rule(
        id="persist.identity-write",
        category="persist",
        message="asks for instructions to be written into the agent's identity or memory files",
        pattern=r"(?:add|write|append|save|insert|put|store|prepend|copy|paste)\b[^\n]{0,120}? (?:to|into|in|at the "
        r"(?:top|end|start|beginning) of) (?:your |the |the agent'?s )?(?:own )?(?:~/\.hermes/|\$\{?hermes_home\}?/|\.hermes/)?"
        r"(?:soul\.md|soul file|memory\.md|user\.md)\b",
        before=300,
        triggers=("soul", "memory.md", "user.md"),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
        flat=True,
    ),
    Rule(
        id="persist.agent-self-edit",
        category="persist",
        message="asks the model to change its own instructions, identity or memory",
        pattern=r"(?:modify|edit|update|overwrite|rewrite|replace|change|append to|add (?:\w+ ){0,4}to|write (?:\w+ ){0,4}"
        r"(?:to|into)|insert (?:\w+ ){0,4}into|save (?:\w+ ){0,4}(?:to|into|in)) (?:your|the agent'?s|hermes'?s?|the assistant'?s) "
        r"(?:own )?(?:soul\.md|soul file|system prompt|identity(?: file)?|persona(?: file)?|personality(?: file)?|core "
        r"instructions|instructions file|standing instructions|persistent memory|long-term memory|permanent memory|"
        r"memory files?|memories)",
        triggers=("soul", "system prompt", "identity", "persona", "instructions file", "standing instructions",
                  "core instructions", "persistent memory", "long-term memory", "permanent memory", "memory file",
                  "memories"),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="persist.approval-config",
        category="persist",
        message="turns off the agent's approval gate or sandbox",
        pattern=r"approvals?\.non_interactive\s*[:=]\s*[\"']?allow|non_interactive\s*:\s*allow|--dangerously-skip-permissions|"
        r"--yolo\b|yolo mode|auto[-_ ]?approve\s*[:=]\s*(?:true|all|yes)|(?:disable|turn off|remove|bypass) (?:the )?"
        r"(?:agent'?s |hermes'? )?(?:approval gate|approvals|sandbox(?:ing)?|command approval)",
        triggers=("non_interactive", "dangerously-skip-permissions", "yolo", "auto", "approval", "approvals", "sandbox"),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="persist.remote-authorized-keys",
        category="persist",
        message="installs SSH keys downloaded from elsewhere (lets someone log in)",
        pattern=r"(?:curl|wget|git\s+clone|scp|rsync)\b[^\n]{0,300}?authorized_keys2?\b",
        triggers=("authorized_keys",),
        before=400,
        after=40,
        verdict=BLOCK,
        severity="critical",
        mention=True,
    ),
    Rule(
        id="persist.authorized-keys",
        category="persist",
        message="adds an SSH key to authorized_keys (lets someone log in)",
        pattern=r"(?:>>?|\btee\b|\bcat\s*>>?|\bcp\b|\bmv\b|ssh-copy-id|\becho\b[^\n]{0,300}>>?|\badd\b|\bappend\b|\binsert\b|"
        r"\bwrite\b|\bput\b|\bpaste\b)[^\n]{0,120}?authorized_keys2?\b",
        triggers=("authorized_keys",),
        before=300,
        after=40,
        mention=True,
    ),
    Rule(
        id="persist.shell-startup-write",
        category="persist",
        message="writes to a shell start-up file (runs on every new shell)",
        pattern=r"(?:>>?|\btee\b(?:\s+-a)?|\bsed\s+-i\S{0,200}|\bcat\s*>>?)\s*[\"']?(?:" + _RC + r")"
        r"|open\([^)\n]{0,200}(?:bashrc|zshrc|bash_profile|zprofile|\.profile)[^)\n]{0,200},\s*[\"'][aw]",
        triggers=_RC_TRIGGERS,
    ),
    Rule(
        id="persist.shell-startup-payload",
        category="persist",
        message="plants a download or shell command in a shell start-up file",
        pattern=r"\b(?:echo|printf)\s[^\n]{0,300}?(?:curl|wget|\bnc\b|/dev/tcp|base64\s+(?:-d|--decode)|python[23]?\s+-c|"
        r"\|\s*(?:ba|z)?sh\b)[^\n]{0,300}?(?:>>?|\|\s*tee(?:\s+-a)?)\s*[\"']?(?:" + _RC + ")"
        r"|(?:>>?|\btee\b(?:\s+-a)?)\s*[\"']?(?:" + _RC + r")[^\n]{0,300}?(?:(?:curl|wget)[^\n]{0,300}\|\s*(?:ba|z)?sh\b|/dev/tcp|"
        r"base64\s+(?:-d|--decode)|\bnc\b[^\n]{0,300}\s-e\b)",
        triggers=_RC_TRIGGERS,
        before=500,
        after=400,
        verdict=BLOCK,
        severity="critical",
        mention=True,
    ),
    Rule(
        id="persist.scheduled-task",
        category="persist",
        message="installs a scheduled task or service (cron, systemd, launchd, Windows Run keys)",
        pattern=r"crontab\s+-(?!l\b)\w*|\|\s*crontab\b|/etc/cron\.(?:d|daily|hourly|weekly|monthly)\b|/etc/crontab\b|"
        r"/var/spool/cron|@reboot\b|/etc/systemd/system/|\.config/systemd/user/|systemctl\s+(?:--user\s+)?enable\b|"
        r"launchctl\s+(?:load|bootstrap|submit)\b|library/launch(?:agents|daemons)\b|/etc/rc\.local\b|/etc/init\.d/|"
        r"schtasks(?:\.exe)?\s+/create|currentversion\\+run|register-scheduledtask|\bnew-service\b|update-rc\.d\b",
        triggers=("crontab", "/etc/cron", "/var/spool/cron", "@reboot", "systemd", "systemctl", "launchctl", "launchagents",
                  "launchdaemons", "rc.local", "init.d", "schtasks", "currentversion", "scheduledtask", "new-service",
                  "update-rc.d"),
        targets=frozenset({"skill"}),
    ),
    Rule(
        id="persist.scheduled-payload",
        category="persist",
        message="schedules a downloaded script or a reverse shell to run repeatedly",
        pattern=r"(?:crontab|@reboot|/etc/cron|systemd|launchagents|launchdaemons|rc\.local|schtasks|currentversion\\+run|"
        r"\*\s+\*\s+\*\s+\*)[^\n]{0,300}(?:(?:curl|wget|iwr|invoke-webrequest)[^\n]{0,300}\|\s*(?:ba|z|da)?sh\b|/dev/tcp|\bnc\b[^\n]{0,300}\s-e\b|"
        r"base64\s+(?:-d|--decode)|downloadstring)",
        triggers=("crontab", "@reboot", "/etc/cron", "systemd", "launchagents", "launchdaemons", "rc.local", "schtasks",
                  "currentversion", "* * * *"),
        verdict=BLOCK,
        severity="critical",
        mention=True,
    ),
]

DANGER = [
    Rule(
        id="danger.remote-script",
        category="danger",
        message="downloads a script and pipes it straight into a shell or interpreter",
        pattern=r"\b(?:curl|wget|fetch|iwr|invoke-webrequest|irm|invoke-restmethod)\b[^\n|;]{0,300}\|\s*(?:sudo\s+(?:-\S{1,200}\s+)*)?"
        r"(?:env\s+)?(?:ba|z|da|k|fi)?sh\b|\b(?:ba|z)?sh\s+(?:-c\s+)?[\"']?\$\(\s*(?:curl|wget)\b[^\n]{0,300}|"
        r"\b(?:ba|z)?sh\s+<\(\s*(?:curl|wget)\b[^\n)]{0,300}|\b(?:curl|wget)\b[^\n|;]{0,300}\|\s*(?:sudo\s+)?"
        r"(?:python[23]?|perl|ruby|node)\b|\biex\s*\(?\s*\(?\s*(?:iwr|irm|invoke-webrequest|invoke-restmethod|"
        r"new-object\s+net\.webclient)[^\n]{0,300}|\b(?:iwr|irm|invoke-webrequest|invoke-restmethod)\b[^\n|]{0,300}\|\s*iex\b",
        triggers=("curl", "wget", "fetch", "iwr", "irm", "invoke-", "iex"),
        skill_verdict=WARN,
        check="remote_script",
        before=24,
    ),
    Rule(
        id="danger.download-exec",
        category="danger",
        message="downloads a program and runs it",
        pattern=r"\b(?:curl|wget)\b[^\n;|&]{0,300}?&&\s*(?:chmod\s+(?:\+x|[0-7]?7[0-7]{2})\s+[\"']?\S{1,200}[\"']?\s*(?:&&|;)\s*)?"
        r"(?:sudo\s+)?(?:(?:ba|z)?sh\s+|\.\s+|source\s+|python[23]?\s+|\./|/)\S{0,200}",
        triggers=("curl", "wget"),
        skill_verdict=WARN,
        check="remote_script",
    ),
    Rule(
        id="danger.untrusted-package-index",
        category="danger",
        message="installs packages from an unencrypted or bare-IP package index",
        pattern=r"(?:pip3?|uv pip|python3? -m pip|npm|yarn|pnpm|gem)\s+(?:install|add|i)\b[^\n]{0,200}?(?:--(?:extra-)?index-url|"
        r"--registry|--source|-i)[=\s]+[\"']?http://",
        triggers=("index-url", "registry", "source", "-i "),
        check="remote_script",
        skill_verdict=WARN,
    ),
    Rule(
        id="danger.code-runs-remote-script",
        category="danger",
        message="code that downloads a script and pipes it into a shell",
        pattern=r"(?:os\.system|subprocess\.\w+|popen|exec|eval|child_process\.\w+|execsync|system)\s*\([^\n]{0,40}?(?:curl|wget)"
        r"\b[^\n]{0,200}?\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b",
        triggers=("curl", "wget"),
        before=200,
        mention=True,
    ),
    Rule(
        id="danger.obfuscated-exec",
        category="danger",
        message="decodes hidden code and executes it",
        pattern=r"\b(?:eval|exec|execfile|compile|system|popen|function|settimeout|setinterval|iex|invoke-expression|"
        r"os\.system|subprocess\.\w+)\s*\([^\n]{0,80}?(?:base64\.b(?:64|32|16|85)decode|b64decode|atob|"
        r"buffer\.from\([^)\n]{0,200},\s*[\"'](?:base64|hex)[\"']|bytes\.fromhex|codecs\.decode|zlib\.decompress|gzip\.decompress|"
        r"bz2\.decompress|lzma\.decompress|marshal\.loads|pickle\.loads|binascii\.(?:unhexlify|a2b_base64)|"
        r"\[system\.convert\]::frombase64string|frombase64string|unescape|decodeuricomponent|string\.fromcharcode|rot13|"
        r"['\"]{2}\.join\(\s*(?:map\()?chr)"
        r"|(?:base64\s+(?:-d|--decode)|xxd\s+-r(?:\s+-p)?|openssl\s+(?:enc\s+)?-?base64\s+-d)[^\n|]{0,300}\|\s*"
        r"(?:sudo\s+)?(?:(?:ba|z|da|k)?sh|python[23]?|perl|ruby|node)\b"
        r"|\bpowershell(?:\.exe)?\b[^\n]{0,300}\s-e(?:nc(?:odedcommand)?)?\s+[a-z0-9+/=]{20,}"
        r"|\beval\s+[\"']?\$\((?:echo|printf)[^)\n]{0,200}\|\s*(?:base64|xxd)",
        triggers=("b64decode", "b32decode", "b16decode", "b85decode", "atob", "buffer.from", "fromhex", "codecs.decode",
                  "decompress", "marshal.loads", "pickle.loads", "unhexlify", "a2b_base64", "frombase64string", "unescape",
                  "decodeuricomponent", "fromcharcode", "rot13", "chr", "base64", "xxd", "powershell"),
        verdict=BLOCK,
        severity="critical",
        mention=True,
    ),
    Rule(
        id="danger.destructive",
        category="danger",
        message="runs a destructive command (wipes the home folder, the root file system or a disk)",
        pattern=r"\brm\s+(?:-[\w-]{1,100}\s+){0,8}-[a-z]*(?:r[a-z]*f|f[a-z]*r)[a-z]*\s+(?:-[\w-]{1,100}\s+){0,8}[\"']?"
        r"(?:/\*?|~/?\*?|\$home/?\*?|\$\{home\}/?\*?|/(?:etc|usr|var|bin|boot|lib|lib64|opt|home|root|sys|dev|srv|mnt)/?\*?)"
        r"[\"']?(?=\s|$|;|&|\||\)|`)|\brm\s+[^\n]{0,300}--no-preserve-root|\bmkfs(?:\.\w+)?\s+[^\n]{0,300}/dev/|"
        r"\bdd\s+[^\n]{0,300}of=/dev/(?:sd|nvme|hd|disk|mmcblk|xvd|vd)|>\s*/dev/(?:sd[a-z]|nvme\d|hd[a-z]|disk\d)\b|"
        r":\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:|\bchmod\s+-r\s+0?777\s+/(?=\s|$)|\bchown\s+-r\s+\S{1,200}\s+/(?=\s|$)|"
        r"\bfind\s+/\s+[^\n]{0,300}-delete\b|\bshred\s+[^\n]{0,300}/dev/|\bwipefs\b|\bformat\s+c:|"
        r"remove-item\s+[^\n]{0,300}-recurse[^\n]{0,300}(?:c:\\\\?(?:\s|$)|~|\$env:userprofile|\$home)|\bdel\s+/[fsq]\s[^\n]{0,300}c:\\",
        triggers=("rm -", "rm\t", "rm  ", "--no-preserve-root", "mkfs", "of=/dev/", "/dev/sd", "/dev/nvme", "/dev/hd",
                  "/dev/disk", ":()", "777", "chown -r", "-delete", "shred", "wipefs", "format c:", "remove-item", "del /"),
        skill_verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="danger.destructive-data",
        category="danger",
        message="drops a database or force-pushes over a main branch",
        pattern=r"\b(?:drop\s+(?:database|schema)|truncate\s+table)\b|\bgit\s+push\s+[^\n]{0,300}(?:--force|-f)\b[^\n]{0,300}\b(?:main|master)\b",
        triggers=("drop", "truncate", "--force", "-f "),
        targets=frozenset({"skill"}),
    ),
]

ACTION_RULES = EXFIL + SECRET + PERSIST + DANGER
