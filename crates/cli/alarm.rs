//! The alarm the program plays itself at a stop and its repeats (and, if
//! configured, at a prompt), through the desktop's sound server: PulseAudio,
//! or PipeWire through its PulseAudio interface.
//!
//! A `sound-name` hint is not enough: dunst and mako play nothing, and a
//! notice from `tick` under cron has no terminal to ring. So the program
//! speaks PulseAudio's native protocol itself (the pure-Rust `pulseaudio`
//! crate: no libpulse, no -dev package to build) and decodes the theme's
//! Ogg Vorbis file with `lewton` (pure Rust too).
//!
//! The sound never delays the notice: it is decoded ahead (when the
//! command starts, on a thread of its own) and played on a thread of its
//! own with socket time limits; with no sound server it says so once and
//! the timer goes on.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::settings::AlarmSettings;

/// How long the sound server may take to answer one step (connect,
/// handshake, a stream, a write).
const SERVER_TIMEOUT: Duration = Duration::from_secs(2);

/// What a sound is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sound {
    /// A stop or a repeat.
    Stop,
    /// A reminder to start.
    Prompt,
}

/// Decoded sound: interleaved 16-bit samples.
#[derive(Debug)]
pub struct Pcm {
    rate: u32,
    channels: u8,
    samples: Vec<i16>,
    /// Where it came from, for `doctor`: a file, or the built-in tone.
    pub source: String,
}

/// How one playing went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Played {
    /// Played to the end on `sink`, from `source`.
    Played {
        /// The sink's name.
        sink: String,
        /// The file, or "the built-in tone".
        source: String,
    },
    /// Not played, and why.
    Failed(String),
}

/// One sound, decoded once (on first need, or ahead by [`Alarm::new`]).
#[derive(Debug)]
struct Slot {
    name: Option<String>,
    pcm: OnceLock<Arc<Pcm>>,
}

impl Slot {
    fn pcm(&self) -> Option<Arc<Pcm>> {
        let name = self.name.as_deref()?;
        Some(Arc::clone(self.pcm.get_or_init(|| Arc::new(load(name)))))
    }
}

/// Plays the configured sounds.
#[derive(Debug, Clone)]
pub struct Alarm {
    stop: Arc<Slot>,
    prompt: Arc<Slot>,
    volume: u8,
    /// Whether a sound server's socket was there when the command started.
    server: bool,
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<Tally>,
    done: Condvar,
}

#[derive(Debug, Default)]
struct Tally {
    warned: bool,
    playing: usize,
    last: Option<Played>,
}

impl Alarm {
    /// An alarm with `settings`; the stop's sound is decoded now, in the
    /// background, so that a deadline finds it ready.
    pub fn new(settings: &AlarmSettings) -> Alarm {
        let alarm = Alarm {
            stop: Arc::new(Slot {
                name: settings.stop.clone(),
                pcm: OnceLock::new(),
            }),
            prompt: Arc::new(Slot {
                name: settings.prompt.clone(),
                pcm: OnceLock::new(),
            }),
            volume: settings.volume,
            server: socket().is_ok(),
            shared: Arc::default(),
        };
        let ahead = Arc::clone(&alarm.stop);
        let _ = std::thread::Builder::new()
            .name("alarm-decode".into())
            .spawn(move || drop(ahead.pcm()));
        alarm
    }

    /// Whether the stop's alarm is played here: a sound is configured and
    /// a sound server was found. Where it is not, the notice's sound hint
    /// is the only sound left.
    pub fn plays_stops(&self) -> bool {
        self.server && self.stop.name.is_some()
    }

    /// Plays the sound for `what` on a thread of its own, at once; returns
    /// without waiting. A failure is said once per process.
    pub fn play(&self, what: Sound) {
        let slot = match what {
            Sound::Stop => Arc::clone(&self.stop),
            Sound::Prompt => Arc::clone(&self.prompt),
        };
        if slot.name.is_none() {
            return;
        }
        let volume = self.volume;
        let shared = Arc::clone(&self.shared);
        shared.lock().playing += 1;
        let spawned = std::thread::Builder::new()
            .name("alarm".into())
            .spawn(move || {
                let played = match slot.pcm() {
                    Some(pcm) => play(&pcm, volume),
                    None => Played::Failed("no sound is configured".into()),
                };
                let mut t = shared.lock();
                if let Played::Failed(why) = &played {
                    if !t.warned {
                        t.warned = true;
                        errln!(
                            "therapy-timer: warning: the alarm cannot be played ({why}); \
                             notices go on without it"
                        );
                    }
                }
                t.last = Some(played);
                t.playing -= 1;
                drop(t);
                shared.done.notify_all();
            });
        if spawned.is_err() {
            let mut t = self.shared.lock();
            t.playing -= 1;
            t.last = Some(Played::Failed("cannot start a thread".into()));
        }
    }

    /// Waits at most `within` for every sound started to finish; returns
    /// how the last one went (`None` if none finished).
    pub fn wait(&self, within: Duration) -> Option<Played> {
        let until = Instant::now() + within;
        let mut t = self.shared.lock();
        while t.playing > 0 {
            let Some(left) = until.checked_duration_since(Instant::now()) else {
                break;
            };
            t = match self.shared.done.wait_timeout(t, left) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
        t.last.clone()
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Tally> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The sound named `name` (a theme name or a file), decoded; the built-in
/// tone when it cannot be found or read (said once on stderr).
fn load(name: &str) -> Pcm {
    let found = find(name);
    let decoded = found
        .as_ref()
        .ok_or_else(|| format!("no sound file for \"{name}\" in the sound theme"))
        .and_then(|p| decode(p).map_err(|e| format!("{}: {e}", p.display())));
    match decoded {
        Ok(pcm) => pcm,
        Err(why) => {
            if found.is_some() || name.contains('/') {
                errln!("therapy-timer: warning: {why}; the alarm plays a built-in tone instead");
            }
            tone()
        }
    }
}

/// Where the sound `name` is: a path as given (it has a `/`), else the
/// freedesktop theme's file in `$XDG_DATA_HOME` and `$XDG_DATA_DIRS`.
pub fn find(name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        let p = PathBuf::from(name);
        return p.is_file().then_some(p);
    }
    let home = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
    let dirs = std::env::var("XDG_DATA_DIRS")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    let dirs = home
        .into_iter()
        .chain(dirs.split(':').filter(|d| !d.is_empty()).map(PathBuf::from));
    for dir in dirs {
        for ext in ["oga", "ogg"] {
            let p = dir
                .join("sounds/freedesktop/stereo")
                .join(format!("{name}.{ext}"));
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Decodes an Ogg Vorbis file (at most 30 s of it: an alarm, not an album).
fn decode(path: &Path) -> Result<Pcm, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut ogg = lewton::inside_ogg::OggStreamReader::new(BufReader::new(file))
        .map_err(|e| format!("not an Ogg Vorbis file ({e})"))?;
    let rate = ogg.ident_hdr.audio_sample_rate;
    let channels = ogg.ident_hdr.audio_channels;
    if rate == 0 || channels == 0 || channels > 2 {
        return Err(format!(
            "{channels} channels at {rate} Hz; use a mono or stereo file"
        ));
    }
    let most = rate as usize * usize::from(channels) * 30;
    let mut samples = Vec::new();
    while samples.len() < most {
        match ogg.read_dec_packet_itl() {
            Ok(Some(p)) => samples.extend(p),
            Ok(None) => break,
            Err(e) => return Err(format!("cannot decode it ({e})")),
        }
    }
    samples.truncate(most);
    if samples.is_empty() {
        return Err("it holds no sound".into());
    }
    Ok(Pcm {
        rate,
        channels,
        samples,
        source: path.display().to_string(),
    })
}

/// The built-in tone: three beeps at 880 Hz, 0.2 s each, 0.1 s apart.
fn tone() -> Pcm {
    const RATE: u32 = 44_100;
    let beep = RATE as usize / 5;
    let gap = RATE as usize / 10;
    let mut samples = Vec::with_capacity(3 * (beep + gap));
    for _ in 0..3 {
        for i in 0..beep {
            let t = i as f64 / f64::from(RATE);
            // A short fade at each end, so the beep does not click.
            let edge = (i.min(beep - i) as f64 / 200.0).min(1.0);
            let v = (t * 880.0 * std::f64::consts::TAU).sin() * 0.5 * edge;
            samples.push((v * f64::from(i16::MAX)) as i16);
        }
        samples.extend(std::iter::repeat_n(0, gap));
    }
    Pcm {
        rate: RATE,
        channels: 1,
        samples,
        source: "the built-in tone".into(),
    }
}

/// Plays `pcm` to the default sink at `volume` percent, to the end.
fn play(pcm: &Pcm, volume: u8) -> Played {
    match pulse::play(pcm, volume) {
        Ok(sink) => Played::Played {
            sink,
            source: pcm.source.clone(),
        },
        Err(why) => Played::Failed(why),
    }
}

pub use pulse::socket;

/// Where there is no PulseAudio (macOS, Windows): no sound, said once.
#[cfg(not(all(unix, not(target_os = "macos"))))]
mod pulse {
    use super::Pcm;
    use std::path::PathBuf;

    pub fn socket() -> Result<PathBuf, String> {
        Err("no sound server support on this platform".into())
    }

    pub fn play(_: &Pcm, _: u8) -> Result<String, String> {
        Err("no sound server support on this platform".into())
    }
}

/// PulseAudio's native protocol (PipeWire speaks it too).
#[cfg(all(unix, not(target_os = "macos")))]
mod pulse {
    use std::ffi::CString;
    use std::io::BufReader;
    use std::os::unix::net::UnixStream;
    use std::path::PathBuf;
    use std::time::{Duration, Instant};

    use pulseaudio::protocol;

    use super::{Pcm, SERVER_TIMEOUT};

    /// The sound server's socket: `$PULSE_SERVER` (a `unix:` one), else
    /// `$PULSE_RUNTIME_PATH/native`, `$XDG_RUNTIME_DIR/pulse/native`, or
    /// without `XDG_RUNTIME_DIR` (cron) `/run/user/<uid>/pulse/native`.
    pub fn socket() -> Result<PathBuf, String> {
        if let Ok(s) = std::env::var("PULSE_SERVER") {
            let s = s.trim();
            if !s.is_empty() {
                return match s.strip_prefix("unix:") {
                    Some(p) => Ok(PathBuf::from(p)),
                    None => Err(format!(
                        "PULSE_SERVER={s} is not a local socket; only unix:PATH is supported"
                    )),
                };
            }
        }
        let var = |n: &str| {
            std::env::var_os(n)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let uid = std::fs::metadata("/proc/self").ok().map(|m| {
            use std::os::unix::fs::MetadataExt;
            m.uid()
        });
        // The per-user directory only where the environment names none (cron):
        // a runtime directory given is the one meant.
        let runtime =
            var("XDG_RUNTIME_DIR").or_else(|| uid.map(|u| PathBuf::from(format!("/run/user/{u}"))));
        let candidates = [
            var("PULSE_RUNTIME_PATH").map(|p| p.join("native")),
            runtime.map(|p| p.join("pulse/native")),
        ];
        candidates
            .into_iter()
            .flatten()
            .find(|p| p.exists())
            .ok_or_else(|| "no sound server: no PulseAudio or PipeWire socket was found".to_owned())
    }

    /// The cookie that authenticates us to the server, if any.
    fn cookie() -> Vec<u8> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        std::env::var_os("PULSE_COOKIE")
            .map(PathBuf::from)
            .into_iter()
            .chain(home.iter().map(|h| h.join(".config/pulse/cookie")))
            .chain(home.iter().map(|h| h.join(".pulse-cookie")))
            .find_map(|p| std::fs::read(p).ok())
            .filter(|c| c.len() == COOKIE_LENGTH)
            // The server reads exactly this many bytes, cookie or not (an
            // anonymous server ignores them).
            .unwrap_or_else(|| vec![0; COOKIE_LENGTH])
    }

    /// The length of PulseAudio's cookie (`PA_NATIVE_COOKIE_LENGTH`).
    const COOKIE_LENGTH: usize = 256;

    fn err(e: impl std::fmt::Display) -> String {
        format!("the sound server: {e}")
    }

    /// Plays `pcm` to the default sink at `volume` percent, to the end;
    /// returns the sink's name.
    pub fn play(pcm: &Pcm, volume: u8) -> Result<String, String> {
        let path = socket()?;
        let stream = UnixStream::connect(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        stream.set_read_timeout(Some(SERVER_TIMEOUT)).map_err(err)?;
        stream
            .set_write_timeout(Some(SERVER_TIMEOUT))
            .map_err(err)?;
        let mut sock = BufReader::new(stream);
        protocol::write_command_message(
            sock.get_mut(),
            0,
            &protocol::Command::Auth(protocol::AuthParams {
                version: protocol::MAX_VERSION,
                supports_shm: false,
                supports_memfd: false,
                cookie: cookie(),
            }),
            protocol::MAX_VERSION,
        )
        .map_err(err)?;
        let (_, auth) =
            protocol::read_reply_message::<protocol::AuthReply>(&mut sock, protocol::MAX_VERSION)
                .map_err(err)?;
        let version = protocol::MAX_VERSION.min(auth.version);
        let mut props = protocol::Props::new();
        props.set(protocol::Prop::ApplicationName, c"therapy-timer");
        protocol::write_command_message(
            sock.get_mut(),
            1,
            &protocol::Command::SetClientName(props),
            version,
        )
        .map_err(err)?;
        protocol::read_reply_message::<protocol::SetClientNameReply>(&mut sock, version)
            .map_err(err)?;

        let channels = pcm.channels;
        let mut cvolume = protocol::ChannelVolume::empty();
        // PulseAudio's percent (pactl's): a share of the normal volume on its
        // cubic scale.
        let raw = u64::from(protocol::Volume::NORM.as_u32()) * u64::from(volume) / 100;
        for _ in 0..channels {
            cvolume.push(protocol::Volume::from_u32_clamped(
                u32::try_from(raw).unwrap_or(u32::MAX),
            ));
        }
        let frame = 2 * u32::from(channels);
        let mut stream_props = protocol::Props::new();
        stream_props.set(protocol::Prop::MediaRole, c"event");
        stream_props.set(protocol::Prop::EventId, c"alarm-clock-elapsed");
        stream_props.set(protocol::Prop::MediaName, c"therapy-timer alarm");
        protocol::write_command_message(
            sock.get_mut(),
            2,
            &protocol::Command::CreatePlaybackStream(protocol::PlaybackStreamParams {
                sample_spec: protocol::SampleSpec {
                    format: protocol::SampleFormat::S16Le,
                    channels,
                    sample_rate: pcm.rate,
                },
                channel_map: if channels == 1 {
                    protocol::ChannelMap::mono()
                } else {
                    protocol::ChannelMap::stereo()
                },
                cvolume: Some(cvolume),
                sink_name: Some(CString::from(protocol::DEFAULT_SINK)),
                // A short buffer: the first sound comes out soon after the
                // first write.
                buffer_attr: protocol::stream::BufferAttr {
                    target_length: pcm.rate / 10 * frame,
                    pre_buffering: pcm.rate / 50 * frame,
                    ..Default::default()
                },
                props: stream_props,
                ..Default::default()
            }),
            version,
        )
        .map_err(err)?;
        let (_, info) =
            protocol::read_reply_message::<protocol::CreatePlaybackStreamReply>(&mut sock, version)
                .map_err(err)?;
        let sink = info.sink_name.as_ref().map_or_else(
            || format!("sink #{}", info.sink_index),
            |n| n.to_string_lossy().into_owned(),
        );

        let bytes: Vec<u8> = pcm.samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        let mut sent = 0usize;
        let mut send = |sock: &mut BufReader<UnixStream>, want: u32| -> Result<bool, String> {
            let end = (sent + want as usize).min(bytes.len());
            if end > sent {
                protocol::write_memblock(sock.get_mut(), info.channel, &bytes[sent..end], 0)
                    .map_err(err)?;
                sent = end;
            }
            Ok(sent >= bytes.len())
        };
        let mut all = send(&mut sock, info.requested_bytes)?;
        const DRAINED: u32 = 3;
        let mut draining = false;
        // The sound's length and a margin: a server that stops asking for
        // data does not keep this thread for ever.
        let length = Duration::from_secs_f64(
            pcm.samples.len() as f64 / f64::from(pcm.rate) / f64::from(channels),
        );
        let until = Instant::now() + length + Duration::from_secs(5);
        loop {
            if all && !draining {
                protocol::write_command_message(
                    sock.get_mut(),
                    DRAINED,
                    &protocol::Command::DrainPlaybackStream(info.channel),
                    version,
                )
                .map_err(err)?;
                draining = true;
            }
            if Instant::now() > until {
                return Err("the sound server stopped playing the alarm".into());
            }
            let (seq, msg) = protocol::read_command_message(&mut sock, version).map_err(err)?;
            match msg {
                protocol::Command::Request(r) if r.channel == info.channel && !all => {
                    all = send(&mut sock, r.length)?;
                }
                protocol::Command::Reply if seq == DRAINED => return Ok(sink),
                protocol::Command::Error(e) => return Err(err(format!("{e:?}"))),
                // An answer to nothing we asked: its payload would be read as
                // the next message.
                protocol::Command::Reply => return Err(err("an unexpected answer")),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tone_is_not_silent() {
        let t = tone();
        assert_eq!(t.channels, 1);
        let peak = t
            .samples
            .iter()
            .map(|s| s.unsigned_abs())
            .max()
            .unwrap_or(0);
        assert!(peak > 10_000, "peak {peak}");
        assert_eq!(t.samples.len(), 3 * (44_100 / 5 + 44_100 / 10));
    }

    #[test]
    fn a_missing_file_plays_the_tone() {
        let pcm = load("/nonexistent/therapy-timer/alarm.oga");
        assert_eq!(pcm.source, "the built-in tone");
    }

    #[test]
    fn a_file_that_is_not_ogg_plays_the_tone() {
        let dir = std::env::temp_dir().join(format!("tt-alarm-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let p = dir.join("bad.oga");
        let _ = std::fs::write(&p, b"not a sound");
        assert!(decode(&p).is_err());
        assert_eq!(load(&p.display().to_string()).source, "the built-in tone");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
