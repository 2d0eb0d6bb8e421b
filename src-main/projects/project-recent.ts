import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RecentProjectSchema, type RecentProject } from '../../src-shared/contract/project.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { strataConfigDir } from './project-config-dir.ts';
import { readGuardedJson } from './project-json-guard.ts';

/** How many projects the list keeps. */
export const RECENT_LIMIT = 10;

const RecentFileSchema = z.object({ recentVersion: z.literal(1), projects: z.array(RecentProjectSchema).max(100) });

export function recentProjectsFile(): string {
  return path.join(strataConfigDir(), 'recent.json');
}

/**
 * The recent list as stored. It is a convenience, rebuilt by the next open or save: a
 * damaged file reads as empty rather than keeping the window from starting.
 */
function readStored(): RecentProject[] {
  const file = recentProjectsFile();
  if (!fs.existsSync(file)) return [];
  try {
    const parsed = RecentFileSchema.safeParse(readGuardedJson(file, 'recent-projects list'));
    return parsed.success ? parsed.data.projects : [];
  } catch {
    return [];
  }
}

/** Recently opened or saved projects, most recent first; files that are gone are left out. */
export function listRecentProjects(): RecentProject[] {
  return readStored().filter((p) => fs.existsSync(p.path)).slice(0, RECENT_LIMIT);
}

/** Puts a project at the top of the list (opened or saved just now). */
export function addRecentProject(projectPath: string, name: string, now: Date = new Date()): RecentProject[] {
  const abs = path.resolve(projectPath);
  const projects = [
    { path: abs, name, usedAt: now.toISOString() },
    ...readStored().filter((p) => p.path !== abs && fs.existsSync(p.path)),
  ].slice(0, RECENT_LIMIT);
  writeFileAtomic(recentProjectsFile(), `${JSON.stringify({ recentVersion: 1, projects }, null, 2)}\n`);
  return projects;
}
