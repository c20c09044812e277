//! Help text written once and shown in several places: who should ask a
//! clinician first (the terminal, `--help`, the man page, the README), and
//! each subcommand's examples.

// Until `--help`, the man page and `injury` show these.

/// Who should ask a clinician before using cold or heat, and what nobody
/// should do: the library's lists ([`therapy_timer::safety::ASK_FIRST`],
/// [`therapy_timer::safety::NEVER`]).
///
/// A heading line, then one bullet (`  - `) a line, never wrapped, at most
/// 78 columns. The README lists the same items under "Before you start"; a
/// test keeps them the same.
pub fn contraindications() -> String {
    use therapy_timer::safety::{ASK_FIRST, NEVER};
    let mut out = String::from("BEFORE YOU START, ask a clinician first if you have:");
    for item in ASK_FIRST {
        out.push_str("\n  - ");
        out.push_str(item);
    }
    out.push_str("\nFor everyone:");
    for item in NEVER {
        out.push_str("\n  - ");
        out.push_str(item);
    }
    out
}

/// The red flags (the library's six) and the disclaimer, for `--help` and
/// the man page, wrapped at 76 columns.
pub fn see_a_clinician() -> String {
    let flags = therapy_timer::safety::RED_FLAGS.join("; ");
    let text = format!(
        "SEE A CLINICIAN AT ONCE for: {flags}. See one too if spasms last beyond a few days."
    );
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line > 0 && line + 1 + word.len() > 76 {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out.push_str("\n\ntherapy-timer is not a medical device and gives no medical advice.");
    out
}

/// A whole number of minutes as a DURATION flag takes it: `16m`.
pub fn minutes(d: std::time::Duration) -> String {
    format!("{}m", d.as_secs() / 60)
}

/// The items of [`contraindications`], without their bullets, in order:
/// for a list in another format (a man page's, the README's).
#[cfg_attr(not(test), allow(dead_code))]
pub fn contraindication_items() -> impl Iterator<Item = &'static str> {
    therapy_timer::safety::ASK_FIRST
        .into_iter()
        .chain(therapy_timer::safety::NEVER)
}

/// The "Examples:" block for the subcommand clap calls `subcommand`
/// (`"log add"` and `"log remove"` for those of `log`), or `None` for a
/// name that has none.
///
/// Each line is a command, two spaces in, with a `# comment` after it or on
/// the next line; none is longer than 80 columns.
#[must_use]
pub fn examples(subcommand: &str) -> Option<&'static str> {
    let text = match subcommand {
        "injury" => {
            "\
Examples:
  therapy-timer injury \"3h ago\"             # it happened three hours ago
  therapy-timer injury 07:30                # at 07:30 today, local time
  therapy-timer injury \"2026-03-01 08:00\"   # on a date, local time
  therapy-timer injury                      # show the injury recorded
  therapy-timer injury \"1day 2h ago\" --new  # a new injury: a new course"
        }
        "start" => {
            "\
Examples:
  therapy-timer start                 # a session now: ice or heat, by the day
  therapy-timer start --phase ice     # ice, 10 minutes; a towel on the skin
  therapy-timer start --phase heat --duration 12m  # shorter is fine, not longer
  therapy-timer start --force         # before the rest is over (it is logged)
  therapy-timer start --linger 0s     # exit right after the stop notice
  therapy-timer start --at \"5m ago\"   # it went on five minutes ago"
        }
        "stop" => {
            "\
Examples:
  therapy-timer stop                  # the pack is off: end the session now
  therapy-timer stop --at 10:42       # it came off at 10:42"
        }
        "skip" => {
            "\
Examples:
  therapy-timer skip                  # not this time: skip the session due
  therapy-timer skip --at 14:00       # the one due at 14:00 was skipped"
        }
        "snooze" => {
            "\
Examples:
  therapy-timer snooze                # remind me again in 10 minutes
  therapy-timer snooze 20m            # remind me again in 20 minutes"
        }
        "end" => {
            "\
Examples:
  therapy-timer end                   # the spasms are gone: no more prompts
  therapy-timer end --at \"2026-03-04 18:00\"  # they were gone by then"
        }
        "log" => {
            "\
Examples:
  therapy-timer log                   # the sessions of this course
  therapy-timer log --all             # the sessions of every course
  therapy-timer log --json | jq length   # as a JSON array, for scripts
  therapy-timer log add ice \"2026-03-01 08:00\" --duration 10m  # one not logged
  therapy-timer log remove 12         # remove entry 12 (its ID in `log`)"
        }
        "log add" => {
            "\
Examples:
  therapy-timer log add ice \"2026-03-01 08:00\" --duration 10m
      # an ice session of 10 minutes that was not logged
  therapy-timer log add heat \"2h ago\"          # heat, the usual length
  therapy-timer log add ice 07:15 --duration 6m  # 6 minutes of ice at 07:15"
        }
        "log remove" => {
            "\
Examples:
  therapy-timer log                   # find the entry's ID
  therapy-timer log remove 12         # remove entry 12 from the log"
        }
        "undo" => {
            "\
Examples:
  therapy-timer undo                  # take back the last change recorded
  therapy-timer undo && therapy-timer log   # ... and see the log after it"
        }
        "pain" => {
            "\
Examples:
  therapy-timer pain 6                # pain now, from 0 (none) to 10 (worst)
  therapy-timer pain 3 --note \"after a short walk\"
      # with a note, shown in the report
  therapy-timer pain 7 --at \"2h ago\" --note \"bending over\"  # noted later"
        }
        "skin" => {
            "\
Examples:
  therapy-timer skin normal           # after a session: looks and feels normal
  therapy-timer skin red              # after heat: skip the next if still red
  therapy-timer skin numb             # no cold or heat until `skin normal`
  therapy-timer skin blistered --note \"two small blisters\"   # see a clinician"
        }
        "report" => {
            "\
Examples:
  therapy-timer report                # this course: sessions done, missed, pain
  therapy-timer report --html > report.html    # a page to show a clinician
  therapy-timer report --csv --all > sessions.csv  # every course, a spreadsheet
  therapy-timer report --json --course 2       # the second course, for scripts"
        }
        "plan" => {
            "\
Examples:
  therapy-timer plan                  # the next 24 hours, in local time
  therapy-timer plan --for 3d         # the next three days
  therapy-timer plan --json | jq -r '.[0].start'   # the next start, UTC
  therapy-timer plan --ics --for 2d > therapy.ics  # for a calendar app
  therapy-timer plan --at \"2026-03-02 08:00\"       # as it will be then"
        }
        "next" => {
            "\
Examples:
  therapy-timer next                  # the next start or stop, and when
  therapy-timer next --json           # {\"event\", \"phase\", \"at\", \"urgency\"}"
        }
        "status" => {
            "\
Examples:
  therapy-timer status                # where the course stands; may I start?
  therapy-timer status --json         # the same, as one JSON object
  therapy-timer status --format waybar    # JSON for a waybar custom module
  therapy-timer status --format plain     # one line, for polybar or i3blocks"
        }
        "watch" => {
            "\
Examples:
  therapy-timer watch                 # notify each start and stop, until Ctrl-C
  therapy-timer watch --until 22:00   # ... until 22:00 today"
        }
        "tick" => {
            "\
Examples:
  therapy-timer tick                  # notify what is due now (run each minute)
  therapy-timer tick --json           # ... and print it as JSON lines"
        }
        "schedule" => {
            "\
Examples:
  therapy-timer schedule cron         # print a crontab line that runs tick
  therapy-timer schedule systemd      # print the systemd user units
  therapy-timer schedule systemd --write   # install them for this user
  therapy-timer schedule systemd --write --watch   # a service running watch"
        }
        "doctor" => {
            "\
Examples:
  therapy-timer doctor                # notifications, state, time zone, timer
  therapy-timer doctor --json         # the same checks, for scripts
  therapy-timer doctor --alert        # test notice, alarm and hook, for real"
        }
        "config" => {
            "\
Examples:
  therapy-timer config                # the settings in effect, and from where
  therapy-timer config --check my.toml   # is this file valid? (exit 2 if not)"
        }
        "completions" => {
            "\
Examples:
  therapy-timer completions bash >> ~/.bash_completion   # once; bash reads it
  therapy-timer completions zsh > ~/.zfunc/_therapy-timer  # fpath+=(~/.zfunc)
  therapy-timer completions fish > ~/.config/fish/completions/therapy-timer.fish
      # fish finds it there by itself"
        }
        "man" => {
            "\
Examples:
  therapy-timer man | man -l -        # read the main page now
  therapy-timer man --dir ~/.local/share/man/man1  # then: man therapy-timer"
        }
        _ => return None,
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::{contraindication_items, contraindications, examples};

    /// Every subcommand of the finished command line, as clap spells it.
    const SUBCOMMANDS: [&str; 25] = [
        "injury",
        "start",
        "stop",
        "skip",
        "snooze",
        "end",
        "log",
        "log add",
        "log remove",
        "undo",
        "pain",
        "skin",
        "report",
        "plan",
        "next",
        "status",
        "watch",
        "tick",
        "schedule",
        "doctor",
        "config",
        "completions",
        "man",
        // Not subcommands: flags, and a typo.
        "--help",
        "stat",
    ];

    const README: &str = include_str!("../../README.md");

    #[test]
    fn every_subcommand_has_examples_that_fit() {
        let (names, others) = SUBCOMMANDS.split_at(SUBCOMMANDS.len() - 2);
        for name in names {
            let text = examples(name).unwrap_or_else(|| panic!("no examples for {name}"));
            let mut lines = text.lines().peekable();
            assert_eq!(lines.next(), Some("Examples:"), "{name}");
            // The command itself, e.g. `log` for `log add`.
            let command = name.split(' ').next().unwrap_or_default();
            let prefix = format!("  therapy-timer {command}");
            let mut count = 0;
            while let Some(line) = lines.next() {
                assert!(line.chars().count() <= 80, "{name}: too long: {line:?}");
                assert!(
                    line.starts_with("  therapy-timer ") && line.starts_with(&prefix),
                    "{name}: not a {command} command line: {line:?}"
                );
                // A comment after it, or on the next line.
                let explained = line.contains("  # ")
                    || lines
                        .next_if(|next| next.starts_with("      # "))
                        .is_some_and(|next| next.chars().count() <= 80);
                assert!(explained, "{name}: no comment for {line:?}");
                count += 1;
            }
            assert!(count >= 2, "{name}: {count} example(s)");
        }
        for name in others {
            assert_eq!(examples(name), None, "{name}");
        }
    }

    #[test]
    fn examples_of_log_cover_add_and_remove() {
        let log = examples("log").unwrap_or_default();
        assert!(log.contains("  therapy-timer log add "), "{log}");
        assert!(log.contains("  therapy-timer log remove "), "{log}");
    }

    #[test]
    fn contraindications_are_a_heading_and_one_line_bullets() {
        let text = contraindications();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("BEFORE YOU START, ask a clinician first if you have:")
        );
        for line in lines {
            assert!(line.chars().count() <= 78, "too long: {line:?}");
            assert!(
                line.starts_with("  - ") || (line.ends_with(':') && !line.starts_with(' ')),
                "neither a heading nor a bullet (a wrapped item?): {line:?}"
            );
        }
        let items: Vec<&str> = contraindication_items().collect();
        assert_eq!(items.len(), 6, "{items:?}");
        for needle in [
            "numb",
            "diabetes",
            "neuropathy",
            "circulation",
            "Raynaud's",
            "cold urticaria",
            "broken skin",
            "never sleep on a heating pad",
        ] {
            assert!(
                items.iter().any(|item| item.contains(needle)),
                "{needle:?} missing"
            );
        }
    }

    #[test]
    fn readme_lists_the_same_contraindications_under_before_you_start() {
        let start = README
            .find("\n## Before you start\n")
            .expect("README has a \"## Before you start\" section");
        let section = &README[start + 1..];
        let end = section[1..].find("\n## ").map_or(section.len(), |i| i + 1);
        let section = &section[..end];
        for item in contraindication_items() {
            assert!(
                section.contains(&format!("\n- {item}\n")),
                "README's \"Before you start\" does not list {item:?}"
            );
        }
        let disclaimer = README.find("Not a medical device").unwrap_or(usize::MAX);
        assert!(
            disclaimer < start,
            "\"Before you start\" comes after the disclaimer"
        );
    }
}
