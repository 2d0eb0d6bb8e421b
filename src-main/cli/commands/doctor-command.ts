import type { DoctorReport } from '../../../src-shared/contract/engine-report.ts';
import { runDoctor } from '../../engine/doctor.ts';
import type { CliIo } from '../cli-io.ts';

export const DOCTOR_HELP = `strata doctor [--json]
  Tells which compute engine Strata runs on (native TensorFlow, wasm or pure-JS cpu),
  how fast it measured a matmul, and what to do about any problem.
  STRATA_BACKEND=tensorflow|wasm|cpu forces a backend.
  Exits 1 when a problem of severity "error" was found.`;

function formatReport(r: DoctorReport): string {
  const engine = r.backend === null
    ? 'none could start'
    : r.native
      ? `native TensorFlow (libtensorflow ${r.libtensorflowVersion}) via tfjs ${r.tfVersion}`
      : `${r.backend} FALLBACK (not native) via tfjs ${r.tfVersion}`;
  const lines = [
    'Strata doctor',
    `  engine     ${engine}${r.forced ? `  [forced by STRATA_BACKEND=${r.forced}]` : ''}`,
    `  threads    ${r.threads}`,
    ...(r.native ? [`  training   ${r.graphEngine ? 'whole step as one TensorFlow graph (Strata graph engine)' : 'op by op (the graph engine is missing, see problems)'}`] : []),
    `  matmul     ${r.matmulGflops.toFixed(1)} GFLOP/s` +
      (r.slowdownVsNative !== null && !r.native ? `  (${r.slowdownVsNative.toFixed(0)}× slower than native on this machine)` : ''),
  ];
  if (r.problems.length === 0) {
    lines.push('  problems   none');
  } else {
    lines.push('  problems');
    for (const p of r.problems) {
      lines.push(`    [${p.severity}] ${p.code}: ${p.message}`, `        fix: ${p.fix}`);
    }
  }
  return lines.join('\n');
}

export async function doctorCommand(args: { json: boolean }, io: CliIo): Promise<number> {
  const report = await runDoctor();
  io.out(args.json ? JSON.stringify(report) : formatReport(report));
  return report.problems.some((p) => p.severity === 'error') ? 1 : 0;
}
