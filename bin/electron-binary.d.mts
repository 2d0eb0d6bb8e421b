/** Where Electron's binary is, or null when its download never happened. */
export function electronBinary(): string | null;
