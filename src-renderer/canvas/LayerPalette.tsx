import { useMemo, useState, type DragEvent } from 'react';
import { useAppStores, useEditor } from '../state/app-context.tsx';
import { addLibraryBlock, useBlockLibrary } from '../state/block-library.ts';
import { filterPalette, paletteSections } from './palette-sections.ts';

/** The drag payload type: only Strata palette drags are accepted by the canvas. */
export const LAYER_DRAG_TYPE = 'application/x-strata-layer';
/** The drag payload type for one of the project's blocks. */
export const BLOCK_DRAG_TYPE = 'application/x-strata-block';

/**
 * The layer palette: every kind from the catalog, grouped by category and searchable, each
 * with its one-line help. Drag an item onto the canvas, or double-click it to add it below
 * the selection (quicker, and reachable from the keyboard with Enter).
 */
export function LayerPalette({ onAdd, onAddBlock }: { onAdd(className: string): void; onAddBlock(blockName: string): void }) {
  const [query, setQuery] = useState('');
  const blocks = useEditor((s) => s.spec.blocks);
  const blockNames = Object.keys(blocks ?? {}).filter((n) => n.toLowerCase().includes(query.trim().toLowerCase()));
  const { editor } = useAppStores();
  const library = useBlockLibrary();
  const libraryNames = Object.keys(library.blocks).filter((n) => n.toLowerCase().includes(query.trim().toLowerCase()));
  const all = useMemo(paletteSections, []);
  const sections = filterPalette(all, query);

  const onDragStart = (e: DragEvent, className: string): void => {
    e.dataTransfer.setData(LAYER_DRAG_TYPE, className);
    e.dataTransfer.setData('text/plain', className);
    e.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <aside className="palette" aria-label="Layer palette">
      <div className="pane-title">Layers</div>
      <div className="palette-search">
        <input
          type="search" placeholder="Search layers…" value={query} onChange={(e) => setQuery(e.target.value)}
          data-testid="palette-search" aria-label="Search layers"
        />
      </div>
      <div className="palette-list">
        {sections.length === 0 && blockNames.length === 0 && libraryNames.length === 0 && <div className="palette-empty">No layer matches “{query}”.</div>}
        {libraryNames.length > 0 && (
          <section className="palette-section" data-testid="palette-section-Library">
            <h3 className="palette-section-title">My block library</h3>
            {libraryNames.map((name) => (
              <div
                key={name} className="palette-item" tabIndex={0} role="button" data-testid={`palette-library-${name}`}
                onDoubleClick={() => addLibraryBlock(editor, name, library.blocks[name]!)}
                onKeyDown={(e) => { if (e.key === 'Enter') addLibraryBlock(editor, name, library.blocks[name]!); }}
                title={`Block ${name} from your library. Double-click to add it to this project.`}
              >
                <span className="palette-swatch cat-block" />
                <span className="palette-item-text">
                  <span className="palette-item-name">{name}</span>
                  <span className="palette-item-help">{library.blocks[name]!.layers.map((l) => l.class_name).join(' → ')}</span>
                </span>
              </div>
            ))}
          </section>
        )}
        {library.error && <div className="palette-empty" role="alert" data-testid="library-error">{library.error}</div>}
        {blockNames.length > 0 && (
          <section className="palette-section" data-testid="palette-section-Blocks">
            <h3 className="palette-section-title">Blocks in this project</h3>
            {blockNames.map((name) => (
              <div
                key={name} className="palette-item" draggable tabIndex={0} role="button" data-testid={`palette-block-${name}`}
                onDragStart={(e) => { e.dataTransfer.setData(BLOCK_DRAG_TYPE, name); e.dataTransfer.effectAllowed = 'copy'; }}
                onDoubleClick={() => onAddBlock(name)}
                onKeyDown={(e) => { if (e.key === 'Enter') onAddBlock(name); }}
                title={`Block ${name}. Drag onto the canvas, or double-click to add.`}
              >
                <span className="palette-swatch cat-block" />
                <span className="palette-item-text">
                  <span className="palette-item-name">{name}</span>
                  <span className="palette-item-help">{blocks![name]!.layers.map((l) => l.class_name).join(' → ')}</span>
                </span>
              </div>
            ))}
          </section>
        )}
        {sections.map((s) => (
          <section key={s.category} className="palette-section" data-testid={`palette-section-${s.category}`}>
            <h3 className="palette-section-title">{s.category}</h3>
            {s.items.map((item) => (
              <div
                key={item.className}
                className="palette-item"
                draggable
                tabIndex={0}
                role="button"
                data-testid={`palette-item-${item.className}`}
                onDragStart={(e) => onDragStart(e, item.className)}
                onDoubleClick={() => onAdd(item.className)}
                onKeyDown={(e) => { if (e.key === 'Enter') onAdd(item.className); }}
                title={`${item.className}: ${item.help}\nDrag onto the canvas, or double-click to add.`}
              >
                <span className={`palette-swatch cat-${s.category.toLowerCase()}`} />
                <span className="palette-item-text">
                  <span className="palette-item-name">{item.className}</span>
                  <span className="palette-item-help">{item.help}</span>
                </span>
              </div>
            ))}
          </section>
        ))}
      </div>
    </aside>
  );
}
