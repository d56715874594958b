"""Rules for what injected text *says*: overriding instructions, hijacking the role,
hiding things from the user, talking to the AI behind the reader's back.

Patterns are matched against the folded view (lower case); a space means any gap of
whitespace or markdown emphasis (see :mod:`._rule`). Triggers are lower-case literals
that every match contains.
"""

from __future__ import annotations

from ._rule import BLOCK, Rule, alt

# ---------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------

_IGNORE = alt(
    "ignore", "ignoring", "disregard", "disregarding", "forget", "forgetting", "overlook",
    "neglect", "discard", "abandon", "set aside", "put aside", "throw out", "throw away",
    r"pay no (?:attention|heed|mind) to", r"do not (?:follow|obey|heed|adhere to|comply with)",
    r"don'?t (?:follow|obey|heed|adhere to|comply with)", r"stop (?:following|obeying)",
    r"no longer (?:follow|obey|adhere to)", r"cease (?:following|obeying)", "override",
    "overrule", "bypass", "nullify", r"never\s?mind",
)
# Rarer literals than the verbs themselves ("follow" is everywhere; "not follow" is not).
_IGNORE_TRIGGERS = (
    "ignor", "disregard", "forget", "forgett", "overlook", "neglect", "discard", "abandon",
    "set aside", "put aside", "throw out", "throw away", "no attention", "no heed", "no mind", "not follow",
    "'t follow", "dont follow", "stop following", "longer follow", "cease following", "not obey", "'t obey",
    "stop obeying", "longer obey", "cease obeying", "not heed", "'t heed", "not adhere", "'t adhere",
    "longer adhere", "not comply", "'t comply", "override", "overrule", "bypass", "nullify", "nevermind",
    "never mind",
)
_TELL_TRIGGERS = tuple(
    f"{neg} {verb}"
    for neg in ("not", "'t", "never", "dont", "avoid", "refrain from", "circumstances")
    for verb in ("tell", "inform", "notify", "alert", "warn", "mention", "reveal", "show", "report", "disclose",
                 "explain", "say", "let")
)
_USER_MODAL_TRIGGERS = tuple(
    f"{who} {modal}"
    for who in ("user", "users", "human", "humans", "operator", "operators")
    for modal in ("must", "should", "will", "need", "is", "are", "may", "remain", "isn't", "aren't", "mustn't",
                  "shouldn't", "won't", "isnt", "arent")
)
# Soft verbs of the same family: "ignore all rules" is what an eslint comment says too.
_DET = r"(?:(?:all|any|every|each|of|the|your|my|its|these|those|that|this|whatever|both|entire|whole|such) ){0,3}"
_PRIOR = alt(
    r"previous(?:ly (?:given|provided|stated|received|set))?", "prior", "preceding", "earlier",
    "foregoing", "former", "original", "initial", "aforementioned", "system", "developer",
    r"pre-?programmed", "programmed", "hidden", "safety", "ethical", "moral", "core",
)
_ADJ = alt(
    "system", "safety", "ethical", "original", "initial", "core", "base", "other", "given",
    "stated", "provided", "assigned", "hidden", "internal", "existing", "current", "default",
    r"built-?in", "programmed", "own", "operating", "content",
)
_RULES = alt(
    "instructions?", "instruction set", "directions", "directives?", "rules", r"rule ?sets?",
    "rulebook", "guidelines", "guidance", "prompts?", "system prompts?", "system messages?",
    "developer messages?", "constraints", "restrictions", "limitations", "guardrails",
    "safeguards", "programming", "orders", r"polic(?:y|ies)", "protocols?", "boundaries",
    "filters", "principles", "ethics", "morals", "alignment",
)
_SOFT = alt(
    "context", "messages", "conversation", "tasks?", "commands", "training", "input", "text",
    "content", "information", "requests?", "settings", "configuration", "steps",
)
_AI = alt(
    "ai", r"a\.i\.", "llms?", r"large language models?", r"language models?",
    r"ai (?:agents?|assistants?|models?|systems?|tools?|bots?)", "assistants?", "agents?",
    "chatbots?", "bots?", "models?", "claude", "chatgpt", r"gpt(?:-?\d\w*)?", "copilot",
    "gemini", "codex", "hermes", "cursor", "llama", "mistral",
)
_USER = r"(?:the |your |our )?(?:end[- ])?(?:user|human|operator|person|customer|owner)s?\b"
#: Whose rules: "your", "their", "the developer's", "your operator's", ...
_WHOSE = (r"(?:your|the assistant'?s|the ai'?s|the model'?s|chatgpt'?s|claude'?s|hermes'?s?|"
          r"(?:the |your )?(?:developer|developers|operator|owner|creator|admin|administrator|system|company)(?:'s|s'|'))")
#: How rules came to be: "the rules you were given", "the instructions set by my developer".
_GIVEN = (r"(?:you (?:got|received|were given|have been given|have|were told|were programmed with)|given to you|"
          r"(?:set|given|imposed|defined|written|laid down|provided|issued) (?:to you )?by (?:my|your|the) "
          r"(?:developers?|creators?|operators?|system|company|makers|programmers|owners?|admins?)|"
          r"from (?:the|your) (?:user|operator|developer|system|admin))")
_TELL = alt(
    r"tell(?:ing)?", r"inform(?:ing)?", r"notify(?:ing)?", r"alert(?:ing)?", r"warn(?:ing)?",
    r"mention(?:ing)? (?:this |it |that |anything |any of this )?to",
    r"reveal(?:ing)? (?:this |it |that |anything |any of this )?to",
    r"show(?:ing)? (?:this |it |that )?to", r"report(?:ing)? (?:this |it |that )?to",
    r"disclose (?:this |it |that )?to", r"explain (?:this |it |that )?to",
    r"say (?:anything |a word )?to",
)
_NEVER = r"(?:do not|don'?t|dont|never|must not|mustn'?t|should not|shouldn'?t|under no circumstances|avoid|refrain from)"
_ACTIONS = alt(
    "send", "upload", "post", "forward", "transmit", "exfiltrate", "copy", "e-?mail", "run",
    "execute", "install", "add", "append", "write", "modify", "change", "edit", "delete",
    "remove", "download", "fetch", "include", "insert", "read", "collect", "gather", "save",
    "store", "replace", "create", "update", "open", "access", "call", "visit", "log", "record",
    "share", "make", "use", "leak", "encode", "attach", "push", "commit",
)
_LEAK = alt(
    "reveal", "print", "output", "repeat", "show", "display", "leak", "dump", "disclose",
    "expose", "recite", "write out", "tell me", "give me", "share", "send", "copy", "paste",
    "return", "echo", "reproduce", "spell out", "list", "summari[sz]e", "translate",
)
_LEAK_TRIGGERS = ("system prompt", "system message", "initial", "original", "hidden", "secret",
                  "prompt", "developer message", "developer prompt", "verbatim", "word for word")

OVERRIDE = [
    Rule(
        id="override.ignore-previous",
        category="override",
        message="tells the model to ignore its previous instructions",
        pattern=_IGNORE + " " + _DET + _PRIOR + r"(?:[\s,/]+(?:and |or |& )?" + _PRIOR + "){0,2} (?:"
        + _ADJ + " ){0,2}" + _RULES + r"\b",
        triggers=_IGNORE_TRIGGERS,
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
        check="conditional",
        before=12,
    ),
    Rule(
        id="override.ignore-your-rules",
        category="override",
        message="tells the model to ignore its own rules or instructions",
        pattern=alt("ignore", "disregard", "forget", "discard", "abandon", "set aside",
                    r"pay no attention to", r"stop following", r"do not follow", r"don'?t follow",
                    "bypass", "throw out")
        + r" (?:all (?:of )?|any (?:of )?|every one of )?" + _WHOSE + " (?:" + _ADJ + " ){0,2}" + _RULES + r"\b"
        + "|" + _IGNORE + r" (?:all |any |every )?(?:of )?(?:the |these |those )?(?:" + _ADJ + " )?" + _RULES + " " + _GIVEN
        + "|" + _IGNORE + r" (?:their|its) (?:system prompt|system message|instructions|programming|guidelines|safety rules)\b",
        triggers=_IGNORE_TRIGGERS,
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
        before=12,
    ),
    Rule(
        id="override.ignore-all-given",
        category="override",
        message="tells the model to ignore every instruction it was given",
        pattern=_IGNORE + r" (?:all|any|every)(?: one)?(?: of)?(?: the| your)? (?:" + _ADJ + " )?(?:"
        + _RULES + "|" + _SOFT + r") (?:(?:written |stated |given |mentioned )?above|before (?:this|now)|"
        r"you(?:'ve| have)? (?:been |were )?(?:given|told|received|programmed with)|given (?:to you|above|earlier|before)|"
        r"you received|so far|until now|up to (?:now|this point)|that came before)",
        triggers=_IGNORE_TRIGGERS,
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
        before=12,
    ),
    Rule(
        id="override.ignore-everything",
        category="override",
        message="tells the model to forget everything it was told before",
        pattern=_IGNORE + r" (?:everything|anything|all(?: of)?(?: that| this| the text)?|whatever) "
        r"(?:(?:that )?you(?:'ve| have)? (?:been |were )?(?:told|given|instructed|taught|programmed)|"
        r"(?:that )?(?:was |is |has been )?(?:written |said |stated |mentioned |given )?(?:above|before|earlier|previously|so far|until now|up to (?:now|this point))|"
        r"in (?:your|the) (?:system )?prompt|(?:that )?came before)",
        triggers=_IGNORE_TRIGGERS,
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
        check="above_this_line",
        before=12,
    ),
    Rule(
        id="override.ignore-soft",
        category="override",
        message="tells the model to set aside earlier context",
        pattern=_IGNORE + " " + _DET + _PRIOR + " (?:" + _ADJ + " )?" + _SOFT + r"\b"
        + "|" + _IGNORE + r" (?:the |this |all )?(?:" + _SOFT + r"|" + _RULES + r") (?:so far|up to now|until now|to this point)\b",
        triggers=_IGNORE_TRIGGERS,
        mention=True,
        negatable=True,
        before=12,
    ),
    Rule(
        id="override.ignore-all",
        category="override",
        message="tells the reader to ignore all rules or instructions",
        pattern=_IGNORE + r" (?:all|any|every)(?: of)?(?: the)? (?:" + _ADJ + " )?" + _RULES + r"\b",
        triggers=_IGNORE_TRIGGERS,
        mention=True,
        negatable=True,
        before=12,
    ),
    Rule(
        id="override.ignore-above",
        category="override",
        message="tells the reader to ignore the instructions above",
        pattern=_IGNORE + r" (?:the |this |these |those )?(?:above|aforementioned) (?:[a-z-]+ )?(?:"
        + _RULES + "|" + _SOFT + ")|" + _IGNORE + r" (?:the |these |those )(?:" + _RULES + r") above",
        triggers=("above", "aforementioned"),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="override.void-instructions",
        category="override",
        message="declares the model's earlier instructions void",
        pattern=r"(?:all |any |the |your |my )*(?:prior|previous|earlier|above|preceding|original|former|old|existing|initial|"
        r"system|default) (?:guidance|instructions?|rules|directives?|prompts?|orders|context|constraints|guidelines|"
        r"restrictions|programming|policies|settings) (?:is|are|have been|has been|were|are hereby|is hereby|are now|is now) "
        r"(?:now |hereby |officially )?(?:void|null|nullified|cancel+ed|revoked|invalid|invalidated|obsolete|lifted|suspended|"
        r"overridden|superseded|replaced|deprecated|disabled|removed|deleted|no longer (?:valid|in effect|active|applicable|"
        r"relevant|binding))\b"
        r"|(?:prior|previous|earlier|above|original|former|system|your) (?:guidance|instructions?|rules|directives?|prompts?|"
        r"constraints|guidelines|restrictions|programming) (?:no longer|do(?:es)? not|don'?t) (?:apply|count|matter|bind you)"
        r"|(?:prior|previous|earlier|original|former|system|your) (?:guidance|instructions?|rules|directives?|prompts?|constraints|"
        r"guidelines|restrictions|programming|system prompt)\b[^\n.]{0,50}? can (?:now |safely )?be (?:dropped|ignored|disregarded|"
        r"removed|skipped|set aside|bypassed|forgotten)"
        r"|(?:deprecated|retired|revoked|disabled|replaced|removed) (?:the |your )?(?:previous |old |original |current |existing )?"
        r"system prompt",
        triggers=("void", "null", "cancel", "revoked", "invalid", "obsolete", "lifted", "suspended", "overridden",
                  "superseded", "replaced", "deprecated", "disabled", "no longer", "not apply", "'t apply", "not count",
                  "'t count", "not matter", "'t matter", "dropped", "ignored", "disregarded", "removed", "skipped",
                  "bypassed", "forgotten", "deprecated", "retired", "system prompt"),
        before=200,
        after=60,
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="override.reset-instructions",
        category="override",
        message="tells the model to reset or erase its instructions",
        pattern=r"(?:reset|clear|wipe|erase|purge|flush|delete|remove|drop|scrap|ditch|dump|throw away|get rid of) "
        r"(?:all )?(?:of )?(?:your|the assistant'?s|the model'?s) (?:current |existing |original |previous |prior |core |system )?"
        r"(?:instructions|rules|programming|guidelines|directives|system prompt|prompt|training|persona|constraints|restrictions)\b"
        r"|(?:scrap|ditch|drop|forget|ignore|disregard|discard|erase|wipe|dump) (?:whatever|everything|anything|all(?: that)?) "
        r"(?:that )?(?:you were|you've been|you have been|your (?:creators?|developers?|makers?|owners?|operators?|programmers?"
        r"|company|system prompt)) (?:\w+ )?(?:told|taught|instructed|given|programmed|said|asked)",
        triggers=("reset", "clear", "wipe", "erase", "purge", "flush", "delete", "remove", "drop", "scrap", "ditch", "dump",
                  "throw away", "get rid of", "forget", "ignore", "disregard", "discard"),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
        before=12,
    ),
    Rule(
        id="override.priority-claim",
        category="override",
        message="claims its text is the model's highest-priority instruction",
        pattern=r"(?:highest|top|first|maximum|absolute|overriding|supreme)[- ]priority (?:instruction|directive|task|order|"
        r"command|rule)s?|(?:treat|consider|regard|take) (?:this|the following|these|what follows|the text below) as (?:your|its|the "
        r"model'?s|the assistant'?s) (?:new |highest[- ]priority |primary |only |real |top |most important )*(?:instructions?|"
        r"directives?|orders|system prompt|rules|task)",
        triggers=("priority", "treat", "consider", "regard", "take"),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="override.drop-task",
        category="override",
        message="tells the model to abandon its task and do something else",
        pattern=r"(?:drop|abandon|stop|quit|ditch|forget|ignore|skip|leave|cancel|abort|set aside|forget about) "
        r"(?:the|your|this|that|whatever|what) (?:current |original |assigned |actual |real )?(?:task|job|assignment|request|"
        r"work|question|query)(?: you(?:'re| are)? (?:doing|working on|handling)| you (?:were|have been|got) (?:given|asked|assigned)"
        r"| at hand| you were asked to do)?(?:[^\n.]{0,60}?)(?:,| and| then)? (?:instead|rather)\b",
        triggers=("instead", "rather"),
        before=200,
        after=40,
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="override.ignore-user",
        category="override",
        message="tells the model to ignore what the user asked",
        pattern=_IGNORE + r" (?:the |your |their )?(?:user|shopper|customer|human|reader|visitor|person|requester|caller)"
        r"(?:'s|s'|')? (?:actual |original |real )?(?:question|request|query|message|instructions?|prompt|task|input)s?\b",
        triggers=_IGNORE_TRIGGERS,
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
        check="conditional",
        before=12,
    ),
    Rule(
        id="override.supersede",
        category="override",
        message="claims to override the model's system prompt or instructions",
        pattern=r"(?:overrides?|supersedes?|replaces?|takes precedence over|has priority over|trumps|outranks|cancels) "
        r"(?:your (?:system prompt|system message|instructions|previous instructions|rules|guidelines|programming|directives)"
        r"|the system (?:prompt|message)|(?:all )?(?:previous|prior|earlier|original) (?:instructions|directives|system prompts?))"
        r"|(?:takes?|taking|have|has) (?:precedence|priority) over (?:everything(?: else)?|all (?:other )?(?:instructions|rules|"
        r"directives)|any (?:other )?instructions|the system prompt|your (?:instructions|rules|system prompt))",
        triggers=("overrid", "supersed", "replace", "precedence", "priority", "trump", "outrank", "cancel"),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="override.instructions-changed",
        category="override",
        message="claims the model's instructions have changed",
        pattern=r"your (?:instructions|rules|directives|orders|programming|system prompt|guidelines|task) (?:have|has) "
        r"(?:(?:just|now|recently) )?(?:changed|been (?:updated|changed|replaced|revoked|overridden|superseded|cancelled|canceled))",
        triggers=("your",),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="override.ignore-generic",
        category="override",
        message="tells the reader to ignore a set of instructions",
        pattern=_IGNORE + r" (?:the|these|those|this|all|any) (?:" + _ADJ + " )?" + _RULES + r"\b",
        triggers=_IGNORE_TRIGGERS,
        mention=True,
        negatable=True,
        before=12,
    ),
    Rule(
        id="override.skip-approval",
        category="override",
        message="tells the model to act without the user's approval",
        pattern=r"(?:without|never|don'?t|do not|no need to|stop) (?:ask(?:ing)?|wait(?:ing)?|request(?:ing)?|prompt(?:ing)?|"
        r"check(?:ing)? with)(?: for)?(?: the user'?s?| me| them| anyone)?(?: for)? (?:approval|confirmation|permission|consent|"
        r"review)|no need to (?:confirm|ask|check)|(?:don'?t|do not|never|no need to) (?:bother|trouble|disturb|interrupt|pester) "
        r"(?:the user|the human|them|him|her|me)(?: with| for)?(?: any)? (?:confirmations?|approvals?|permission|consent|questions|"
        r"prompts|confirmation prompts)|(?:bypass|skip|disable|circumvent|turn off|get around|override) (?:the |your |any |all )?"
        r"(?:approval|confirmation|permission|review|sandbox|safety)(?: steps?| prompts?| checks?| gates?| process| requirements?)?\b|(?:run|execute) (?:every|all|any) (?:shell |terminal )?commands?\b[^\n.]{0,60}?"
        r"without (?:asking|approval|confirmation|confirming|checking)",
        triggers=("approval", "confirmation", "permission", "consent", "review", "no need to", "without ask", "bother",
                  "trouble", "disturb", "interrupt", "pester", "prompts", "questions", "sandbox", "safety",
                  "without approval", "without confirm", "without check", "commands"),
        mention=True,
    ),
    Rule(
        id="override.new-instructions-authority",
        category="override",
        message="claims to carry new instructions from the developers or the system",
        pattern=alt("new", "updated", "revised", "real", "actual", "true", "secret", "hidden",
                    "override", "overriding", "priority", "emergency", "urgent", "important",
                    "additional", "corrected", "latest")
        + r" (?:system |developer |admin |security )?(?:instructions|directives|orders|prompt|commands|policy) "
        r"(?:directly )?(?:from|by|issued by|sent by|on behalf of) (?:the |your |an? )?(?:[a-z]+ )?"
        + alt(r"developers?", r"admin(?:istrator)?s?", "system", r"operators?", r"owners?",
              r"creators?", "openai", "anthropic", "nous(?: research)?", "security team",
              r"it (?:department|team)", "management", r"supervisors?", "hermes team", "google",
              r"your (?:creator|developer|owner)")
        + r"\b",
        triggers=("instructions", "directives", "orders", "prompt", "commands", "policy"),
        verdict=BLOCK,
        severity="high",
        mention=True,
    ),
    Rule(
        id="override.your-new-instructions",
        category="override",
        message="announces replacement instructions for the model",
        pattern=r"your (?:new|real|actual|true|updated|revised|only|primary|secret|current) "
        r"(?:instructions|directives|orders|system prompt|programming|rules|prime directive)"
        r"\s*(?::|(?:are|is|follow|will be|now|as follows|below)\b)",
        triggers=("your",),
        verdict=BLOCK,
        severity="high",
        mention=True,
    ),
    Rule(
        id="override.new-instructions-heading",
        category="override",
        message="starts a block of 'new instructions'",
        pattern=r"^[\s#>*\[(-]{0,20}(?:new|updated|revised|real|actual|true|secret|hidden|override|overriding|"
        r"priority|urgent|important|additional) (?:system )?(?:instructions|directives|orders)[\s*\])]{0,10}(?::|-{1,2}\s)",
        triggers=("instructions", "directives", "orders"),
    ),
    Rule(
        id="override.new-task",
        category="override",
        message="gives the model a new task or objective",
        pattern=r"your (?:new |real |actual |true |only |primary |updated )?(?:task|objective|goal|mission|job|purpose|role) "
        r"(?:is now|now is|has changed|will now be)|your (?:new|real|actual|true|only|primary|updated) (?:task|objective|goal|"
        r"mission|job|purpose|role)\s*(?::|(?:is|are|will be|now)\b)",
        triggers=("your",),
        mention=True,
    ),
    Rule(
        id="override.from-now-on",
        category="override",
        message="tries to change how the model behaves from now on",
        pattern=r"(?:from now on|from this point (?:on|forward)|henceforth|for the rest of (?:this|the) "
        r"(?:conversation|session|chat)),? (?:you|your|the assistant|the ai|respond|answer|reply|always|never|"
        r"only|act|behave|ignore|do not|don'?t)\b",
        triggers=("from now on", "from this point", "henceforth", "for the rest of"),
        mention=True,
    ),
    Rule(
        id="override.prompt-leak",
        category="override",
        message="asks the model to reveal its system prompt or hidden instructions",
        pattern=_LEAK + r" (?:me |us |back |out |to me )*(?:all (?:of )?)?(?:your|the assistant'?s|the model'?s) "
        r"(?:[a-z-]+ ){0,2}?(?:system prompt|system message|initial prompt|initial instructions|"
        r"original (?:instructions|prompt)|hidden (?:instructions|prompt|rules)|secret (?:instructions|prompt|rules)|"
        r"pre-?prompt|developer (?:message|prompt|instructions)|(?:full |complete |exact )?(?:instructions|prompt) "
        r"(?:verbatim|word for word|exactly|in full))",
        triggers=_LEAK_TRIGGERS,
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="override.prompt-leak-include",
        category="override",
        message="asks for the model's system prompt to be copied somewhere",
        pattern=r"(?:include|paste|put|add|insert|attach|copy|post|publish|write|append) (?:the )?(?:full |entire |complete |whole )?"
        r"(?:text |contents? )?(?:of )?(?:its|your|their|the assistant'?s|the model'?s|the agent'?s) (?:full |entire |complete |"
        r"hidden |original )?(?:system prompt|system message|hidden instructions|initial instructions|instructions verbatim)",
        triggers=("system prompt", "system message", "hidden instructions", "initial instructions", "verbatim"),
        before=200,
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="override.prompt-leak-weak",
        category="override",
        message="asks for the system prompt or hidden instructions",
        pattern=_LEAK + r" (?:me |us |back |out )*(?:the|this) (?:full |complete |exact |entire )?"
        r"(?:system prompt|system message|initial prompt|hidden (?:instructions|prompt)|secret (?:instructions|prompt)|"
        r"pre-?prompt|developer (?:message|prompt))",
        triggers=_LEAK_TRIGGERS,
        mention=True,
        negatable=True,
    ),
    Rule(
        id="override.repeat-above",
        category="override",
        message="asks the model to repeat the text that comes before it (its prompt)",
        pattern=r"(?:repeat|print|output|reproduce|copy|echo|return|write out|recite) (?:back )?"
        r"(?:all (?:of )?)?(?:the |everything |all )?(?:(?:text|words|content|messages?|conversation|prompt|"
        r"instructions|lines) )?(?:above|before this|preceding this|prior to this)(?: [a-z ]{0,20})? "
        r"(?:verbatim|word for word|exactly|in full|starting (?:with|from)|including everything)",
        triggers=("above", "before this", "preceding this", "prior to this"),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
]

# ---------------------------------------------------------------------------------------
# The same override in other languages. Patterns are lower case; non-ASCII letters are
# folded like the view when the rules are compiled.
# ---------------------------------------------------------------------------------------

_I18N = [
    ("es", "Spanish",
     r"(?:ignora|ignore|ignorar|ignoren|olvida|olvide|olviden|olvidar|descarta|omite|desobedece|no sigas)"
     r"(?: (?:todas|todos|cualquier))?(?: (?:las|los|tus|sus))? (?:instrucciones|indicaciones|reglas|órdenes|directrices|"
     r"instrucción) (?:anteriores|previas|originales|del sistema|iniciales|de arriba|que te (?:dieron|han dado))"
     r"|(?:ignora|olvida|olvide|ignore) todo lo (?:anterior|que te (?:dijeron|han dicho))",
     ("ignor", "olvid", "descarta", "omite", "desobedece", "no sigas")),
    ("fr", "French",
     r"(?:ignore[zr]?|oublie[zr]?|ne tiens? (?:pas )?compte d[eu]s?|ne tenez pas compte d[eu]s?|fais abstraction d[eu]s?|"
     r"faites abstraction d[eu]s?)(?: toutes)?(?: (?:les|tes|vos|des))? (?:instructions|consignes|règles|directives|indications) "
     r"(?:précédentes|precedentes|antérieures|anterieures|initiales|originales|du système|ci-dessus|données|qu'on t'a données)"
     r"|oublie[zr]? tout ce qu'on (?:t'a|vous a) dit",
     ("ignore", "oublie", "compte d", "abstraction")),
    ("de", "German",
     r"(?:ignoriere|ignorier|ignorieren sie|vergiss|vergessen sie|missachte|missachten sie|übergehe|übergehen sie)"
     r"(?: (?:alle|sämtliche|jegliche|die|deine|ihre))*(?: (?:bisherigen|vorherigen|vorigen|früheren|obigen|"
     r"ursprünglichen|vorangegangenen|bisherige|vorherige|obige))? (?:anweisungen|instruktionen|regeln|vorgaben|befehle|"
     r"richtlinien|anordnungen|systemanweisungen|systemprompt|system-prompt)"
     r"|vergiss alles,? was (?:dir|man dir) (?:gesagt|vorher gesagt)",
     ("ignorier", "vergiss", "vergessen", "missacht", "übergeh")),
    ("it", "Italian",
     r"(?:ignora|ignori|ignorate|dimentica|dimentichi|dimenticate|trascura|non seguire)(?: tutte)?(?: (?:le|tue|sue))? "
     r"(?:istruzioni|regole|indicazioni|direttive) (?:precedenti|originali|iniziali|di sistema|sopra|ricevute)",
     ("ignor", "dimentic", "trascura", "non seguire")),
    ("pt", "Portuguese",
     r"(?:ignore|ignora|ignorar|esqueça|esqueca|esquece|desconsidere|desconsidera)(?: todas)?(?: (?:as|suas|tuas))? "
     r"(?:instruções|instrucoes|regras|orientações|orientacoes|diretrizes) (?:anteriores|prévias|previas|originais|iniciais|do sistema)",
     ("ignor", "esque", "desconsider")),
    ("nl", "Dutch",
     r"(?:negeer|vergeet|veronachtzaam)(?: alle)?(?: (?:de|je|uw))? (?:vorige|eerdere|voorgaande|oorspronkelijke|bovenstaande) "
     r"(?:instructies|regels|aanwijzingen|opdrachten)|(?:negeer|vergeet) alle (?:instructies|regels|aanwijzingen)",
     ("negeer", "vergeet", "veronachtzaam")),
    ("ru", "Russian",
     r"(?:игнорируй|игнорируйте|игнорировать|проигнорируй|проигнорируйте|забудь|забудьте|не обращай внимания на|не следуй)"
     r"(?: (?:все|всё|свои|твои|ваши))? (?:предыдущие|прошлые|прежние|предшествующие|изначальные|системные|данные ранее|"
     r"все) (?:инструкции|указания|правила|команды|директивы|установки)"
     r"|забудь(?:те)? всё,? что (?:тебе|вам) (?:говорили|сказали)",
     ("игнор", "забуд", "не обращай", "не следуй")),
    ("zh", "Chinese",
     r"(?:忽略|无视|無視|忽视|忽視|不要理会|不要理會|不要遵守|忘记|忘記|忘掉|跳过|跳過)(?:掉)?(?:之前|以上|上面|先前|前面|此前|所有|全部|你的|系统|系統|原来|原來)"
     r"(?:的)?(?:所有|全部)?(?:的)?(?:指令|指示|说明|說明|提示|规则|規則|命令|设定|設定|要求|提示词|提示詞)",
     ("忽略", "无视", "無視", "忽视", "忽視", "不要理", "不要遵守", "忘记", "忘記", "忘掉", "跳过", "跳過")),
    ("ja", "Japanese",
     r"(?:以前|前|上記|これまで|先|今まで|元|システム)の(?:すべての|全ての|全部の)?(?:指示|命令|ルール|指令|設定|プロンプト)を"
     r"(?:すべて|全て)?(?:無視|忘れ)",
     ("無視", "忘れ")),
    ("ko", "Korean",
     r"(?:이전|앞의|위의|기존|모든|이전의|앞선)\s*(?:모든\s*)?(?:지시|지침|명령|규칙|지시사항|프롬프트|지시를|지침을)(?:을|를|은|는)?\s*"
     r"(?:모두\s*)?(?:무시|잊어)",
     ("무시", "잊어")),
    ("pl", "Polish",
     r"(?:zignoruj|ignoruj|zapomnij)(?: o)?(?: (?:wszystkie|wszystkich|twoje|swoje))? (?:poprzednie|wcześniejsze|powyższe|"
     r"poprzednich|wcześniejszych|wszystkie) (?:instrukcje|polecenia|zasady|instrukcjach|poleceniach|instrukcji)",
     ("zignoruj", "ignoruj", "zapomnij")),
    ("tr", "Turkish",
     r"(?:önceki|yukarıdaki|tüm|bütün|sistem) (?:talimatları|komutları|kuralları|yönergeleri|talimatlari|kurallari) "
     r"(?:yok say|görmezden gel|unut|dikkate alma)",
     ("yok say", "görmezden", "unut", "dikkate alma")),
    ("ar", "Arabic",
     r"(?:تجاهل|انس|لا تتبع)\s+(?:كل|جميع)?\s*(?:التعليمات|الأوامر|التوجيهات|القواعد)\s+(?:السابقة|الأصلية|الأولى)",
     ("تجاهل", "انس", "لا تتبع")),
    ("hi", "Hindi",
     r"(?:पिछले|पूर्व|पहले के|सभी)\s+(?:सभी\s+)?(?:निर्देशों|निर्देश|नियमों)\s+(?:को\s+)?(?:अनदेखा|नज़रअंदाज़|नजरअंदाज|भूल)",
     ("अनदेखा", "नज़रअंदाज़", "नजरअंदाज", "भूल")),
    ("vi", "Vietnamese",
     r"(?:bỏ qua|phớt lờ|quên)(?: tất cả| mọi)?(?: các)? (?:hướng dẫn|chỉ dẫn|chỉ thị|quy tắc|lệnh) (?:trước đó|trước|ban đầu|cũ)",
     ("bỏ qua", "phớt lờ", "quên")),
    ("id", "Indonesian",
     r"(?:abaikan|lupakan)(?: semua)? (?:instruksi|perintah|petunjuk|aturan) (?:sebelumnya|terdahulu|awal)",
     ("abaikan", "lupakan")),
]

I18N = [
    Rule(
        id=f"override.{code}",
        category="override",
        message=f"tells the model to ignore its previous instructions (in {language})",
        pattern=pattern,
        triggers=triggers,
        verdict=BLOCK,
        severity="high",
    )
    for code, language, pattern, triggers in _I18N
]

# ---------------------------------------------------------------------------------------
# Role hijacks and jailbreaks
# ---------------------------------------------------------------------------------------

ROLE = [
    Rule(
        id="role.chat-template-token",
        category="role",
        message="contains chat-template control tokens that fake a new conversation turn",
        pattern=r"<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|"
        r"begin_of_text|eom_id|end_of_text|channel|message|start|end|constrain|return|tool|ipython)\|>|\[/?inst\]|<</?sys>>|"
        r"<(?:start|end)_of_turn>|<\|(?:begin|end)[▁_ ]of[▁_ ]sentence\|>",
        triggers=("<|", "[inst]", "[/inst]", "<<sys>>", "<</sys>>", "_of_turn>"),
        verdict=BLOCK,
        severity="high",
        check="not_in_code",
    ),
    Rule(
        id="role.fake-system-turn",
        category="role",
        message="fakes a system or developer message that overrides the model's instructions",
        pattern=r"(?:^|>)[ \t]{0,3}(?:[\[<(*#>]+[ \t]*)?(?:system|developer|admin(?:istrator)?|root|operator|security)"
        r"(?:[ \t]+(?:message|prompt|note|override|instructions?|update|notice|alert|directive))?[ \t]*[\]>)*]*[ \t]*[:>]"
        r"[ \t]*[^\"'`{\[|\n][^\n]{0,200}?"
        + alt("ignore", "disregard", "override", "new instructions", "updated instructions",
              r"you (?:are|will|must|should) (?:now|no longer|henceforth)",
              r"the user (?:has )?(?:authori[sz]ed|approved|granted|requested|wants you)",
              r"(?:admin|root|developer|god|debug|maintenance|unrestricted) (?:mode|access|privileges)",
              r"security (?:alert|notice|update|override)", r"priority (?:override|instruction)",
              r"do not (?:tell|inform|mention|reveal)", r"forget (?:all|your|previous|everything)",
              r"(?:granted|given) (?:admin(?:istrator)?|root|elevated|full|unrestricted|sudo) (?:privileges|access|rights)",
              r"authori[sz]ed to"),
        triggers=("system", "developer", "admin", "root", "operator", "security"),
        verdict=BLOCK,
        severity="high",
        check="not_in_code",
    ),
    Rule(
        id="role.fake-turn",
        category="role",
        message="contains a line that looks like a system or developer message",
        pattern=r"^[ \t]{0,3}(?:[\[<(*#>]+[ \t]*)?(?:system|developer)(?:[ \t]+(?:message|prompt|note|override|instructions?|"
        r"update|notice))?[ \t]*[\]>)*]*[ \t]*:[ \t]*(?=[^\"'`{\[|\s>])(?=(?:[^\n]{0,300}?[ \t]){3})"
        r"|^(?:human|assistant):[ \t]+\S",
        triggers=("system", "developer", "human:", "assistant:"),
        check="not_in_code",
    ),
    Rule(
        id="role.you-are-now",
        category="role",
        message="tries to turn the model into an unrestricted persona",
        pattern=r"you(?:'re| are| will be| shall be| have become|'ve become| are going to be) (?:now |henceforth |from now on |hereby |"
        r"officially )?(?:an? |the |in |my |our )?"
        + alt("dan", "dude", r"evil (?:bot|ai|assistant|confidant|twin)", "unrestricted", "unfiltered",
              "uncensored", "unlimited", "unbound", "unchained", "unshackled", "jailbroken",
              r"jail-broken", "liberated", "rogue", "amoral", "immoral", "unethical",
              "developer mode", "dev mode", "god mode", "admin mode", "jailbreak mode", "sudo mode",
              r"free (?:of|from) (?:all |any |your )?(?:restrictions|rules|guidelines|filters|limitations|constraints|programming)",
              r"no longer (?:an? )?(?:ai|assistant|language model|chatbot|bound|restricted|limited|claude|chatgpt|hermes|required to)",
              r"not bound by", r"a different (?:ai|assistant|model|persona|character) (?:called|named|without)",
              "able to do anything", "capable of anything", r"allowed to (?:do|say) anything",
              "an ai without", r"released from (?:all |any |your )?(?:restrictions|rules|guidelines)")
        + r"\b",
        triggers=("you are", "you're", "you will be", "you shall be", "you have become", "you've become"),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="role.new-master",
        category="role",
        message="tells the model to take orders from someone other than its user",
        pattern=r"you (?:now |will now |must now |will |must |shall )?(?:take|obey|follow|accept)(?: only)? (?:orders|instructions|"
        r"commands|directions)? ?(?:only )?from (?:me|us|this (?:page|site|document|file|email))(?: now| only| instead)?\b"
        r"|(?:henceforth|from now on|now|from here on),? you (?:only )?(?:answer|report|belong|are accountable) to (?:the |me|us|"
        r"whoever|anyone)|you (?:now |henceforth )(?:only )?(?:answer|report|belong) to\b",
        triggers=("from me", "from us", "from this", "answer to", "report to", "belong to", "accountable to"),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="role.claimed-approval",
        category="role",
        message="claims the user has already approved what it asks for",
        pattern=r"(?:(?:the )?(?:user|owner|admin|administrator|operator|customer)s?|they|he|she) (?:has |have |had )?(?:already |explicitly )?"
        r"(?:pre-?approved|pre-?authori[sz]ed|approved|authori[sz]ed|consented to|agreed to|given (?:you )?permission (?:for|to)|"
        r"granted (?:you )?permission)\b"
        r"|you(?:'re| are| have been) (?:now |hereby |fully )?(?:authori[sz]ed|permitted|allowed|cleared|entitled) to\b"
        r"|(?:you|the assistant|the ai|the model|the agent|the bot) (?:has|have) been (?:granted|given) (?:admin(?:istrator)?|root|"
        r"elevated|full|unrestricted|sudo|super ?user) (?:privileges|access|rights|permissions)",
        triggers=("approved", "authoriz", "authoris", "consented", "agreed", "permission", "permitted", "allowed",
                  "cleared", "entitled", "granted", "given"),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="role.dan",
        category="role",
        message="invokes the 'DAN' (do anything now) jailbreak",
        pattern=r"(?i:act as|you are(?: now)?|you're(?: now)?|become|pretend (?:to be|you are)|role-?play as|you will (?:now )?"
        r"(?:be|act as)|enter|enable|switch to|activate|stay|remain|respond as|answer as|in character as)\s+(?:an?\s+|the\s+)?DAN\b"
        r"|\bDAN(?:\s+[Mm]ode|\s+[Pp]rompt|\s+[Jj]ailbreak|:\s)|(?i:do anything now)",
        triggers=("dan ", "dan:", "dan,", "dan.", "dan\n", "do anything now"),
        verdict=BLOCK,
        severity="high",
        cased=True,
        mention=True,
    ),
    Rule(
        id="role.mode-switch",
        category="role",
        message="claims the model is now in a developer or jailbreak mode",
        pattern=r"(?:you are|you're|you have been|you've been|you will|you'll|you must|act|respond|operate|answer|reply|behave|"
        r"continue) (?:now )?(?:be )?(?:running )?(?:in|into|entered|switched (?:to|into)|put into|as if (?:you are )?in) "
        r"(?:the )?(?:developer|dev|god|debug|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|admin|sudo|dan|evil|chaos|opposite) mode",
        triggers=("developer mode", "dev mode", "god mode", "debug mode", "jailbreak", "unrestricted mode",
                  "unfiltered mode", "uncensored mode", "admin mode", "sudo mode", "dan mode", "evil mode", "chaos mode",
                  "opposite mode"),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="role.no-restrictions",
        category="role",
        message="tells the model it has no rules or safety restrictions",
        pattern=r"(?:pretend|imagine|act as if|behave as if|assume|suppose|role-?play that)(?: that)? you (?:have|had|are under|"
        r"were under|possess) no (?:restrictions|rules|filters|guidelines|limitations|limits|content polic(?:y|ies)|"
        r"ethical (?:guidelines|constraints|boundaries)|safety (?:guidelines|filters|measures)|guardrails|boundaries|morals|ethics|censorship)"
        r"|you (?:now )?have no (?:restrictions|rules|filters|guidelines|limitations|content polic(?:y|ies)|ethical guidelines|"
        r"guardrails|morals|ethics|censorship)"
        r"|(?:you(?:'re| are)|act as|be|become|behave as|respond as|pretend to be) (?:now )?(?:an? |the )?(?:[a-z-]+ ){0,3}"
        r"(?:with|having) (?:zero|no|absolutely no|none of (?:your|the)) (?:safety |content |ethical |moral )?(?:restrictions|rules|"
        r"filters|guidelines|limits|limitations|boundaries|safeguards|content polic(?:y|ies)|censorship|guardrails)"
        r"|(?:bypass|disable|turn off|remove|deactivate|circumvent|evade|ignore|override|drop|lift|suspend) (?:all |any )?(?:of )?"
        r"your (?:safety |content |ethical |moral )?(?:filters|guidelines|restrictions|polic(?:y|ies)|checks|guardrails|"
        r"safeguards|limitations|censorship|alignment|training|programming|principles)"
        r"|(?:openai|anthropic|content|safety|usage)(?:'s)? (?:content |usage )?polic(?:y|ies) (?:no longer|do(?:es)? not|don'?t) appl(?:y|ies)",
        triggers=("no restrictions", "no rules", "no filters", "no guidelines", "no limitations", "no limits",
                  "no content", "no ethical", "no safety", "no guardrails", "no boundaries", "no morals",
                  "no ethics", "no censorship", "your", "polic", "zero", "none of"),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
        before=80,
    ),
    Rule(
        id="role.jailbreak-term",
        category="role",
        message="uses jailbreak vocabulary",
        pattern=r"\b(?:jailbreak(?:ing|s)?|jailbroken|do anything now|developer mode (?:output|response)|dan mode|anti-?dan|"
        r"evil confidant|aim mode|opposite mode|unfiltered mode|uncensored mode|no-?restrictions mode|"
        r"(?:god|jailbreak|unrestricted|unfiltered|uncensored|evil|chaos) mode (?:is )?(?:now )?(?:enabled|activated|on|engaged|unlocked)|"
        r"never refuses|does not refuse|doesn'?t refuse|will not refuse|always complies|ignores (?:the |its |any )?content polic(?:y|ies))\b",
        triggers=("jailbr", "do anything now", "developer mode", "dan mode", "anti-dan", "antidan", "confidant",
                  "aim mode", "opposite mode", "unfiltered mode", "uncensored mode", "restrictions mode", "god mode",
                  "unrestricted mode", "evil mode", "chaos mode", "refuse", "refuses", "complies", "content polic"),
    ),
    Rule(
        id="role.act-as-privileged",
        category="role",
        message="asks the model to act as the system or an unrestricted user",
        pattern=r"(?:act|behave|respond|answer|operate|speak|pose) as (?:if you (?:are|were) )?(?:the |an? )?"
        r"(?:system|root|superuser|unrestricted|unfiltered|uncensored|system administrator with full access)\b(?! administrator)",
        triggers=("system", "root", "superuser", "unrestricted", "unfiltered", "uncensored"),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="role.template-heading",
        category="role",
        message="contains an instruction-tuning template heading",
        pattern=r"^#{2,4} ?(?:instruction|system prompt|system|response):[ \t]*$",
        triggers=("instruction:", "system prompt:", "system:", "response:"),
        check="not_in_code",
    ),
    Rule(
        id="role.authority-claim",
        category="role",
        message="claims to speak for the system, the developers or the model's owner",
        pattern=r"(?:message|note|notice|instructions?|update|directive|alert|memo|order|request) (?:directly )?from (?:the |your )?"
        + alt("system", r"developers?", r"admin(?:istrator)?s?", "openai", "anthropic", "nous research",
              r"hermes (?:team|developers?|maintainers)", r"your (?:creator|owner|operator|developer|administrator)")
        + r"\b(?! (?:log|status|health|clock|tray|settings|package|call|monitor)s?\b)"
        r"|(?:this is|i am|i'm|we are) (?:the |your )?(?:system|developers?|administrator|admin|creator|owner|operator|anthropic|openai)"
        r"(?: team| speaking| administrator)?[.,:!]",
        triggers=("from the", "from your", "from openai", "from anthropic", "from nous", "from hermes", "from system",
                  "from developer", "from admin", "this is", "i am", "i'm", "we are"),
        mention=True,
    ),
]

# ---------------------------------------------------------------------------------------
# Hiding things from the user
# ---------------------------------------------------------------------------------------

CONCEAL = [
    Rule(
        id="conceal.dont-tell-user",
        category="conceal",
        message="asks the model to hide what it does from the user",
        pattern=_NEVER + " (?:ever )?" + alt(_TELL, r"let(?:ting)?") + " " + _USER
        + r"(?:(?: know| see| notice| find out)?(?: about)? (?:this|these|that you|what you|anything about (?:this|these|it)|"
        r"the (?:above|following|instructions?|commands?|requests?|changes?|actions?|steps?|note|output|results?|logs?|"
        r"command|download|installation|upload)|(?:when |that |what |if |after )?"
        r"you (?:did|are|have|ran|sent|read|changed|will|delete|deleted|run|send|upload|do)|about (?:this|it|these))\b"
        r"|(?: know| see| notice| find out)?\s*[.;!]|\s*$)",
        triggers=_TELL_TRIGGERS,
        verdict=BLOCK,
        severity="high",
        mention=True,
    ),
    Rule(
        id="conceal.dont-tell-user-weak",
        category="conceal",
        message="asks the model to keep something from the user",
        pattern=_NEVER + " (?:ever )?" + alt(_TELL, r"let(?:ting)? " + _USER + r" (?:know|see|notice|find out)") + " " + _USER
        + r"(?! (?:to|how|which|whether|where|when to)\b)"
        + "|" + _NEVER + r" (?:tell|inform|notify) me (?:that |what |when |if )?you (?:did|ran|have|do|executed|changed|deleted)",
        triggers=_TELL_TRIGGERS,
        mention=True,
    ),
    Rule(
        id="conceal.user-must-not-know",
        category="conceal",
        message="says the user must not find out",
        pattern=r"(?:user|human|operator)s? (?:must|should|will|need|needs to|is to|are to|may)(?: never| not)"
        r"(?: ever)? (?:know|see|notice|find out|learn|be (?:told|informed|aware|notified|alerted)|suspect|realize|realise|"
        r"discover|become aware)|(?:user|human|operator)s? (?:is|are|isn'?t|aren'?t|remains?)(?: not| never)? "
        r"(?:kept )?(?:not |never )?(?:told|informed|notified|made aware|in the dark)\b",
        triggers=_USER_MODAL_TRIGGERS,
        verdict=BLOCK,
        severity="high",
        mention=True,
    ),
    Rule(
        id="conceal.keep-from-user",
        category="conceal",
        message="asks the model to keep its actions secret from the user",
        pattern=r"(?:keep|hide|conceal) (?:this|it|these (?:instructions|steps|actions|commands)|the (?:following|above|"
        r"instructions|fact that[^\n.]{0,40})|everything(?: you do)?|your actions|what you (?:do|did|are doing)) "
        r"(?:secret |hidden |confidential |private )?from " + _USER
        + r"|behind " + r"(?:the |your )?(?:user|human|operator)(?:'s|s')? back"
        + r"|without " + _USER + r"(?:'s)? (?:knowing|knowledge|noticing|seeing|awareness|realizing|realising|finding out)",
        triggers=("keep", "hide", "conceal", "behind", "without"),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="conceal.without-telling-imperative",
        category="conceal",
        message="asks the model to do something without telling the user",
        pattern=r"(?:^|[.!?:;]\s+|\n[ \t]*(?:[-*+]|\d+\.)?[ \t]*)without (?:telling|informing|notifying|alerting|asking|letting) "
        + _USER + r"(?: know)?,",
        triggers=("without",),
        verdict=BLOCK,
        severity="high",
        mention=True,
    ),
    Rule(
        id="conceal.dont-mention-this",
        category="conceal",
        message="asks the model not to mention this text",
        pattern=r"(?:do not|don'?t|never|without) (?:mention(?:ing)?|reveal(?:ing)?|acknowledg(?:e|ing)|disclos(?:e|ing)|"
        r"repeat(?:ing)?|quot(?:e|ing)|discuss(?:ing)?|log(?:ging)?) (?:this|these|it|that)(?: (?:comment|note|instructions?|"
        r"message|section|text|directive|step|change|upload|request))?s?\b(?! (?:to|in|until)\b)",
        triggers=("mention", "reveal", "acknowledg", "disclos", "repeat", "quot", "discuss", "log"),
        mention=True,
    ),
    Rule(
        id="conceal.trailing-adverb",
        category="conceal",
        message="asks for an action to be done silently",
        pattern=r"(?:`[^`\n]{3,300}`|\S) (?:silently|secretly|quietly|covertly|stealthily|discreetly|without telling (?:anyone|"
        r"the user|them)|without (?:any )?notice|behind the scenes)\s*[.!;)]?\s*$",
        triggers=("silently", "secretly", "quietly", "covertly", "stealthily", "discreetly", "without telling",
                  "without notice", "without any notice", "behind the scenes"),
        before=400,
        after=60,
        mention=True,
        negatable=True,
    ),
    Rule(
        id="conceal.keep-between-us",
        category="conceal",
        message="asks the model to keep something secret",
        pattern=r"(?:keep|let'?s keep) (?:this|it|that) (?:between (?:us|you and me|ourselves)|(?:a )?secret(?: from (?:everyone|"
        r"anyone))?|to yourself|off the record)\b",
        triggers=("between us", "between you", "between ourselves", "secret", "to yourself", "off the record"),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="conceal.omit-facts",
        category="conceal",
        message="asks the model to leave facts out of what it reports",
        pattern=r"(?:omit|leave out|skip over|hide|suppress|do not mention|don'?t mention|never mention|shouldn'?t mention|"
        r"should not mention|must not mention) (?:the |any |all )?(?:[a-z0-9-]+ ){0,2}(?:clauses?|sections?|paragraphs?|"
        r"parts?|facts?|details?|warnings?|risks?|caveats?|limitations?|side effects?|fees?|errors?|failures?|"
        r"deploys?|deployments?|changes?)\b(?:[^\n.]{0,40}? (?:in|from|to) (?:the |your )?(?:summary|answer|response|reply|"
        r"channel|chat|report|user|team))?",
        triggers=("omit", "leave out", "skip over", "hide", "suppress", "mention"),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="conceal.covert-action",
        category="conceal",
        message="asks the model to act covertly",
        pattern=r"(?:secretly|covertly|stealthily|surreptitiously|clandestinely) (?:[a-z]+ )?" + _ACTIONS + r"\b",
        triggers=("secretly", "covertly", "stealthily", "surreptitiously", "clandestinely"),
        verdict=BLOCK,
        severity="high",
        mention=True,
        negatable=True,
    ),
    Rule(
        id="conceal.silent-action",
        category="conceal",
        message="asks the model to do something silently",
        pattern=r"(?:silently|quietly|discreetly|invisibly) (?:[a-z]+ )?" + _ACTIONS + r"\b",
        triggers=("silently", "quietly", "discreetly", "invisibly"),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="conceal.without-mentioning",
        category="conceal",
        message="asks the model to act without mentioning it",
        pattern=r"without (?:mentioning|telling|informing|notifying|alerting|asking|warning|consulting|disclosing|revealing|"
        r"showing|letting|bothering) (?:it |this |that |anything )?(?:to )?(?:the |your )?(?:user|human|anyone|them|operator|"
        r"customer|client|owner)s?\b"
        r"|without (?:mentioning|acknowledging|disclosing|revealing) (?:it|this|that|these|the (?:above|instructions?|request|change|note))\b",
        triggers=("without",),
        mention=True,
        negatable=True,
    ),
    Rule(
        id="conceal.omit-instructions",
        category="conceal",
        message="asks the model to keep these instructions out of its answer",
        pattern=r"(?:(?:do not|don'?t|never) (?:include|mention|quote|repeat|reference|show|reveal|acknowledge|disclose|"
        r"summari[sz]e|explain|output|print|display)|(?:hide|omit|remove|redact|strip|conceal|exclude|leave out)) "
        r"(?:these|this|the above|the following|any of these|any of this|the existence of (?:this|these)) "
        r"(?:instructions?|messages?|notes?|directives?|requests?|steps|comments?|text)\b[^\n.]{0,30}?"
        r"(?:(?:in|from|out of) (?:your|the|any) (?:response|reply|answer|output|summary|report|final answer|review|"
        r"comments?|messages?|pr description|pull request|commit message)|to (?:the |your )?user)",
        triggers=("instruction", "directive", "these notes", "this note", "this message", "these messages",
                  "this request", "these requests", "this comment", "these comments", "this text", "these steps",
                  "the existence of"),
        verdict=BLOCK,
        severity="high",
        mention=True,
    ),
]

# ---------------------------------------------------------------------------------------
# Text addressed to the AI rather than to the reader
# ---------------------------------------------------------------------------------------

_VOCATIVE_TRIGGERS = tuple(
    f"{name}{suffix}"
    for name in ("ai", "llm", "gpt", "claude", "chatgpt", "copilot", "gemini", "hermes")
    for suffix in (":", ",", " agent", " assistant", " model", " bot", " tool", " reviewer", "]")
) + ("assistant,", "model,", "bot,")

ADDRESS = [
    Rule(
        id="address.to-ai",
        category="address",
        message="addresses the AI directly, over the reader's head",
        pattern=r"\b(?:note|message|instructions?|attention|important|notice|reminder|memo|p\.s\.?) (?:to|for) "
        r"(?:all |any )?(?:the )?(?:[a-z]+ )?" + _AI + r"\b"
        r"|(?:dear|hey|hi|hello|attention|psst),? (?:[a-z]+ )?" + _AI + r"\b[,:!]"
        r"|(?:^|<!--|>)[ \t]*(?:[-*+][ \t]+|\d+\.[ \t]+)?(?:automated |coding |ai )?(?:agents|assistants|copilots|bots|llms|ais|"
        r"summari[sz]ers)[ \t]*:\s"
        r"|\b(?:when|while|if you are|if you're) (?:summari[sz]ing|paraphrasing|translating|reviewing) this\b"
        r"|if you are an? (?:ai|llm|large language model|language model|ai (?:assistant|agent|model)|assistant|chatbot|bot|"
        r"automated (?:agent|system|tool)|gpt|claude|autonomous agent|ai reading this)\b"
        r"|(?:ai|llm|assistant|agent|bot|model)s? (?:that (?:is|are) )?(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|"
        r"viewing|crawling|scraping|indexing) this\b"
        r"|(?:^|<!--|[>\[(@]|[.!?]\s)\s*(?:(?:ai|llm|gpt|claude|chatgpt|copilot|gemini|hermes)"
        r"(?: (?:agents?|assistants?|models?|bots?|tools?|reviewers?))?\]?\s*[:,]|(?:assistant|model|bot)\s*,)\s",
        triggers=("note to", "note for", "message to", "message for", "instructions to", "instructions for",
                  "instruction to", "instruction for", "attention", "important for", "important to", "notice to",
                  "notice for", "reminder to", "reminder for", "memo to", "memo for", "p.s.", "dear ", "hey ", "hey,",
                  "hello", "psst", "if you are", "reading this", "processing this", "parsing this", "summarizing this",
                  "summarising this", "analyzing this", "analysing this", "viewing this", "crawling this",
                  "scraping this", "indexing this", "agents", "assistants", "copilots", "bots", "llms", "ais",
                  "models", "summariz", "summaris", "paraphrasing this", "translating this", "reviewing this")
        + _VOCATIVE_TRIGGERS,
        before=60,
    ),
]

SPEECH_RULES = OVERRIDE + I18N + ROLE + CONCEAL + ADDRESS
