import { readdirSync, readFileSync } from 'node:fs';

/** Threads of each ffmpeg this process runs now, from /proc (a worker thread's children are this process's too). */
export function ffmpegThreads(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === process.pid && stat.includes('(ffmpeg)') ? [readdirSync(`/proc/${pid}/task`).length] : [];
    } catch {
      return []; // exited while being read
    }
  });
}
