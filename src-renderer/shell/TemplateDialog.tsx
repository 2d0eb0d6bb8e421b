import { useEffect, useState } from 'react';
import type { CommandResult } from '../../src-shared/contract/commands.ts';
import { dcganTemplate, GanProjectSettingsSchema } from '../../src-shared/contract/gan.ts';
import { joinGanCanvas } from '../../src-shared/graph/gan-canvas.ts';
import { autoLayout } from '../../src-shared/graph/graph-edits.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { useAppStores, useEditor } from '../state/app-context.tsx';
import { useDataNeeds } from '../state/use-data-needs.ts';
import { Modal } from './Modal.tsx';

type TemplateInfo = CommandResult<'templates.list'>[number];

/**
 * "New from template": lists the templates main knows and loads one. With a dataset
 * chosen, the template can be sized to it (input shape and class count), so it trains as is.
 */
export function TemplateDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const { editor } = useAppStores();
  const data = useEditor((s) => s.data);
  const needs = useDataNeeds();
  const [templates, setTemplates] = useState<TemplateInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fit, setFit] = useState(true);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client.invoke('templates.list', {}).then(setTemplates, (e: unknown) => setError(errorMessage(e)));
  }, [client]);

  const fitShape = needs.inputShape;
  const fitClasses = needs.outputs !== null && (needs.task === 'regression' || needs.outputs >= 2) ? needs.outputs : null;
  const vocabSize = data?.kind === 'text' ? data.vocabSize : undefined;

  const open = async (t: TemplateInfo): Promise<void> => {
    setBusy(true);
    try {
      const spec = await client.invoke('templates.get', {
        id: t.id,
        ...(fit && fitShape ? { inputShape: fitShape } : {}),
        ...(fit && fitClasses ? { classes: fitClasses, task: needs.task } : {}),
        ...(fit && vocabSize ? { vocabSize } : {}),
      });
      // A classifier template makes a GAN project a classifier project again (undo brings it back).
      editor.load(autoLayout(spec), t.title, null, null);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  /** The GAN project: generator and discriminator side by side, sized for the chosen images. */
  const openGan = (): void => {
    const imageShape = data?.kind === 'image-folder' && fit ? [data.imageSize[0], data.imageSize[1], data.channels] : [28, 28, 1];
    try {
      editor.load(joinGanCanvas(dcganTemplate(imageShape), 'dcgan'), 'DCGAN', null, GanProjectSettingsSchema.parse({}));
      onClose();
    } catch (e) {
      // dcganTemplate needs sizes the transposed convolutions can reach (multiples of 4).
      setError(`The DCGAN template cannot make ${imageShape.join(' × ')} images: ${errorMessage(e)}`);
    }
  };

  return (
    <Modal title="New from template" onClose={onClose} testId="template-dialog">
      {error && <div className="error-box" role="alert">{error}</div>}
      {!templates && !error && <p className="muted">Loading templates…</p>}
      <ul className="template-list">
        {templates && (
          <li>
            <button type="button" className="template-item" onClick={openGan} disabled={busy} data-testid="template-gan-dcgan">
              <span className="template-title">DCGAN (GAN project: generator + discriminator)</span>
              <span className="template-desc">Two networks on one canvas, trained in turns: the generator makes images from noise, the discriminator tells them from the data's. Learns to draw images like the chosen folder's.</span>
            </button>
          </li>
        )}
        {templates?.map((t) => (
          <li key={t.id}>
            <button type="button" className="template-item" onClick={() => void open(t)} disabled={busy} data-testid={`template-${t.id}`}>
              <span className="template-title">{t.title}</span>
              <span className="template-desc">{t.description}</span>
            </button>
          </li>
        ))}
      </ul>
      {fitShape && (
        <label className="check-row">
          <input type="checkbox" checked={fit} onChange={(e) => setFit(e.target.checked)} data-testid="template-fit-data" />
          Size it for the chosen data: input ({fitShape.join(', ')}){fitClasses ? `, ${fitClasses} ${needs.outputWord}` : ''}
        </label>
      )}
      <p className="muted">The current graph is replaced; Ctrl+Z brings it back.</p>
    </Modal>
  );
}
