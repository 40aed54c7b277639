// Commands as registered objects (after excalidraw's actions/register.ts):
// each has an id, a label for the help overlay, key bindings and perform().
// The registry resolves a key event to at most one command and reports
// conflicting bindings, so a new command cannot silently steal a key.
// Pure: no DOM types, only the key-event fields we read.

/** The fields of a KeyboardEvent the matcher reads. */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** "Mod" is Ctrl, or Cmd on macOS; both are accepted everywhere. */
export interface Chord {
  key: string;
  mod: boolean;
  shift: boolean;
  alt: boolean;
}

const ALIASES: Record<string, string> = { space: ' ', esc: 'escape', del: 'delete', plus: '+' };

/** Parses "Mod+Shift+Z", "Delete", "?", "Space" into a chord (key lower-cased). */
export function parseChord(text: string): Chord {
  // "Mod++" means Mod and the "+" key, so a trailing "+" is the key itself.
  const plusKey = text === '+' || text.endsWith('++');
  const parts = plusKey ? text.slice(0, -1).split('+').filter(Boolean) : text.split('+');
  const rawKey = plusKey ? '+' : parts.pop();
  if (rawKey === undefined || rawKey === '') throw new Error(`parseChord: no key in "${text}"`);
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  for (const m of mods) if (!['mod', 'ctrl', 'shift', 'alt'].includes(m)) throw new Error(`parseChord: unknown modifier "${m}" in "${text}"`);
  const lower = rawKey.toLowerCase();
  return { key: ALIASES[lower] ?? lower, mod: mods.has('mod') || mods.has('ctrl'), shift: mods.has('shift'), alt: mods.has('alt') };
}

/** Letters and named keys compare Shift exactly; symbols ("?", "+") are produced by Shift, so it is ignored for them. */
function shiftMatters(key: string): boolean {
  return key.length > 1 || /[a-z0-9]/.test(key);
}

export function matchChord(chord: Chord, ev: KeyLike): boolean {
  const key = ev.key.toLowerCase();
  if (key !== chord.key) return false;
  if ((ev.ctrlKey || ev.metaKey) !== chord.mod) return false;
  if (ev.altKey !== chord.alt) return false;
  return !shiftMatters(chord.key) || ev.shiftKey === chord.shift;
}

/** Human form for the help overlay: "Ctrl+Shift+Z" (or ⌘ on macOS). */
export function formatChord(text: string, mac = false): string {
  const c = parseChord(text);
  const names: Record<string, string> = { ' ': 'Space', escape: 'Esc', delete: 'Delete', backspace: 'Backspace', arrowleft: '←', arrowright: '→', arrowup: '↑', arrowdown: '↓', enter: 'Enter', tab: 'Tab' };
  const key = names[c.key] ?? (c.key.length === 1 ? c.key.toUpperCase() : c.key);
  return [c.mod ? (mac ? '⌘' : 'Ctrl') : '', c.shift ? 'Shift' : '', c.alt ? 'Alt' : '', key].filter(Boolean).join('+');
}

export interface Command<C> {
  id: string;
  label: string;
  /** Section of the help overlay. */
  group: string;
  /** Key bindings, e.g. ["Mod+Z"]; empty for toolbar-only commands. */
  keys: string[];
  /** Whether the command may run now (disabled commands ignore their keys). */
  enabled?: (ctx: C) => boolean;
  /** Allowed while focus is in a text field (e.g. Escape). */
  inTextField?: boolean;
  /**
   * Commands this one deliberately shadows on a shared key while it is
   * enabled (e.g. Enter accepts a model proposal, else marks boxes reviewed).
   * Not reported by conflicts(); forKey tries the overriding command first.
   */
  overrides?: string[];
  perform: (ctx: C) => void | Promise<void>;
  /** The help overlay's keys column instead of the chords ("1–9" for nine commands shown as one); absent: the chords. */
  helpKeys?: string;
  /** false: not listed in the help overlay (one of a family another command lists, e.g. keys 2–9). */
  inHelp?: boolean;
}

export class CommandRegistry<C> {
  private readonly commands = new Map<string, Command<C>>();
  private readonly chords: { chord: Chord; text: string; id: string }[] = [];

  register(cmd: Command<C>): this {
    if (this.commands.has(cmd.id)) throw new Error(`CommandRegistry: command "${cmd.id}" is registered twice`);
    this.commands.set(cmd.id, cmd);
    for (const text of cmd.keys) this.chords.push({ chord: parseChord(text), text, id: cmd.id });
    return this;
  }

  get(id: string): Command<C> {
    const cmd = this.commands.get(id);
    if (!cmd) throw new Error(`CommandRegistry: no command "${id}"`);
    return cmd;
  }

  all(): Command<C>[] {
    return [...this.commands.values()];
  }

  /** The enabled command bound to this key event, if any. */
  forKey(ev: KeyLike, ctx: C, inTextField = false): Command<C> | null {
    // Two passes: a command that overrides others on its key wins when enabled, whatever the registration order.
    for (const overriding of [true, false]) {
      for (const { chord, id } of this.chords) {
        if (!matchChord(chord, ev)) continue;
        const cmd = this.commands.get(id)!;
        if (Boolean(cmd.overrides?.length) !== overriding) continue;
        if (inTextField && !cmd.inTextField) continue;
        if (cmd.enabled && !cmd.enabled(ctx)) continue;
        return cmd;
      }
    }
    return null;
  }

  /** Pairs of commands bound to the same chord: "Mod+Z: undo, other". */
  conflicts(): string[] {
    const seen = new Map<string, string>();
    const out: string[] = [];
    for (const { chord, text, id } of this.chords) {
      const norm = `${chord.mod}|${chord.shift || !shiftMatters(chord.key)}|${chord.alt}|${chord.key}`;
      const prev = seen.get(norm);
      const intended = prev !== undefined && (this.commands.get(id)!.overrides?.includes(prev) || this.commands.get(prev)!.overrides?.includes(id));
      if (prev && prev !== id && !intended) out.push(`${text}: ${prev}, ${id}`);
      else seen.set(norm, id);
    }
    return out;
  }

  /** Runs a command by id, honouring enabled(). Returns whether it ran. */
  async run(id: string, ctx: C): Promise<boolean> {
    const cmd = this.get(id);
    if (cmd.enabled && !cmd.enabled(ctx)) return false;
    await cmd.perform(ctx);
    return true;
  }
}
