import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** Renders a Vega-Lite spec to a standalone SVG string, server-side (no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A bar per group (domain, or QA category) of one metric. */
export function domainBars(values: Array<{ domain: string; value: number }>, metric: string, group: 'domain' | 'category'): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${metric} per ${group}`,
    width: 360,
    height: 200,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'domain', type: 'nominal', sort: null, title: group },
      y: { field: 'value', type: 'quantitative', title: metric },
      color: { field: 'domain', type: 'nominal', legend: null },
    },
  };
}

/** Recall@K (percent) against K. */
export function recallCurve(values: Array<{ k: number; t2v: number }>): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'text→video recall@K',
    width: 360,
    height: 200,
    data: { values },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'k', type: 'quantitative', title: 'K' },
      y: { field: 't2v', type: 'quantitative', title: 'R@K (%)', scale: { domain: [0, 100] } },
    },
  };
}
