import type { ModelInfo } from '../../../client/api-types.ts';

/** Says plainly that the demo model is simulated whenever it is the one in use. */
export function DemoNotice({ model }: { model?: ModelInfo }) {
  if (!model?.simulated) return null;
  return (
    <div className="banner banner-demo" role="note" data-testid="demo-notice">
      <strong>Simulated model.</strong> “{model.label}” is not an LLM: it writes deterministic text and picks tools by simple rules.
      The tools, team routing, storage and streaming you see are real.
    </div>
  );
}
