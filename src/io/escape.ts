/**
 * Control characters shown escaped (\n, \t, \x00, \x1b, \u2028), for anything put into a one-line
 * message: a cell, a file name, a key. Nothing from the input can then break the line or drive
 * the terminal of whoever reads the error. Escaped text has no control characters left, so
 * escaping a whole message again changes nothing in the parts already escaped.
 */
export function escapeControls(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code < 0x100 ? '\\x' + code.toString(16).padStart(2, '0') : '\\u' + code.toString(16).padStart(4, '0');
  });
}
