// Reads a Python pickle of plain data (protocols 0-5: dicts, lists, tuples,
// strings, bytes, numbers, booleans, None), as RefCOCO's refs(unc).p files
// are, whichever Python wrote them. Anything else (a class, a function call:
// GLOBAL, REDUCE, BUILD, NEWOBJ...) is refused with where it is: nothing in a
// pickle read here can run code. Pure.
import type { PickleValue } from './pickle';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** Python 2 `str` bytes: UTF-8 where they are, else Latin-1. */
function text(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

export function unpickle(data: Uint8Array, source = 'pickle'): PickleValue {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what} at byte ${at}`);
  };
  const need = (n: number) => {
    if (at + n > data.length) fail('file ends inside an opcode');
  };
  const u8 = () => (need(1), data[at++]!);
  const u16 = () => (need(2), (at += 2), view.getUint16(at - 2, true));
  const i32 = () => (need(4), (at += 4), view.getInt32(at - 4, true));
  const u32 = () => (need(4), (at += 4), view.getUint32(at - 4, true));
  const u64 = () => (need(8), (at += 8), Number(view.getBigUint64(at - 8, true)));
  const bytes = (n: number) => (need(n), (at += n), data.subarray(at - n, at));
  const line = () => {
    const end = data.indexOf(0x0a, at);
    if (end < 0) fail('text opcode without its newline');
    const s = latin1.decode(data.subarray(at, end));
    at = end + 1;
    return s;
  };
  const popMark = () => {
    const mark = marks.pop();
    if (mark === undefined) fail('no MARK for this opcode');
    return stack.splice(mark!);
  };
  const top = () => (stack.length === 0 ? fail('empty stack') : stack[stack.length - 1]);
  const signed = (b: Uint8Array) => {
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b.length > 0 && b[b.length - 1]! >= 0x80) v -= 1n << BigInt(8 * b.length);
    return Number(v);
  };
  const setItems = (dict: unknown, items: unknown[]) => {
    if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) fail('SETITEM(S) on something that is not a dict');
    for (let i = 0; i + 1 < items.length; i += 2) (dict as Record<string, unknown>)[String(items[i])] = items[i + 1];
  };
  const append = (list: unknown, items: unknown[]) => {
    if (!Array.isArray(list)) fail('APPEND(S) on something that is not a list');
    (list as unknown[]).push(...items);
  };

  while (at < data.length) {
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: u64(); break; // FRAME
      case 0x2e: return (stack.length === 1 ? stack[0] : fail('STOP with a stack of more or less than one value')) as PickleValue;
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x30: stack.pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break;
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x49: { // INT (text; 01/00 are True/False)
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : Number.parseInt(s, 10));
        break;
      }
      case 0x4a: stack.push(i32()); break;
      case 0x4b: stack.push(u8()); break;
      case 0x4d: stack.push(u16()); break;
      case 0x4c: stack.push(Number(line().replace(/L$/, ''))); break; // LONG (text)
      case 0x8a: stack.push(signed(bytes(u8()))); break; // LONG1
      case 0x8b: stack.push(signed(bytes(u32()))); break; // LONG4
      case 0x46: stack.push(Number.parseFloat(line())); break; // FLOAT (text)
      case 0x47: need(8); stack.push(view.getFloat64(at, false)); at += 8; break; // BINFLOAT
      case 0x53: { // STRING: a Python repr, quoted
        const s = line().trim();
        stack.push(JSON.parse(`"${s.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"').replace(/\\x([0-9a-f]{2})/gi, '\\u00$1')}"`));
        break;
      }
      case 0x54: stack.push(text(bytes(i32()))); break; // BINSTRING
      case 0x55: stack.push(text(bytes(u8()))); break; // SHORT_BINSTRING
      case 0x56: // UNICODE (raw-unicode-escape)
        stack.push(line().replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, h4: string | undefined, h8: string | undefined) => String.fromCodePoint(Number.parseInt(h4 ?? h8!, 16))));
        break;
      case 0x58: stack.push(utf8.decode(bytes(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(utf8.decode(bytes(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(utf8.decode(bytes(u64()))); break; // BINUNICODE8
      case 0x42: stack.push(text(bytes(u32()))); break; // BINBYTES
      case 0x43: stack.push(text(bytes(u8()))); break; // SHORT_BINBYTES
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x61: { const item = stack.pop(); append(top(), [item]); break; } // APPEND
      case 0x65: { const items = popMark(); append(top(), items); break; } // APPENDS
      case 0x7d: stack.push({}); break; // EMPTY_DICT
      case 0x64: { const items = popMark(); const dict = {}; setItems(dict, items); stack.push(dict); break; } // DICT
      case 0x73: { const value = stack.pop(); const key = stack.pop(); setItems(top(), [key, value]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x85: stack.push(stack.splice(-1)); break;
      case 0x86: stack.push(stack.splice(-2)); break;
      case 0x87: stack.push(stack.splice(-3)); break;
      case 0x70: memo.set(Number(line()), top()); break; // PUT
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x67: { const key = Number(line()); stack.push(memo.has(key) ? memo.get(key) : fail('GET of an unknown memo key')); break; }
      case 0x68: { const key = u8(); stack.push(memo.has(key) ? memo.get(key) : fail('BINGET of an unknown memo key')); break; }
      case 0x6a: { const key = u32(); stack.push(memo.has(key) ? memo.get(key) : fail('LONG_BINGET of an unknown memo key')); break; }
      default:
        at--;
        fail(`opcode 0x${op.toString(16).padStart(2, '0')} ('${String.fromCharCode(op)}') is not plain data (a class or call); not read`);
    }
  }
  return fail('no STOP opcode');
}
