// The viewer's zoom steps, as multiples of "fit the pane's width" (1).
export const ZOOMS = [0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3] as const;

/** The next step in or out (`direction` 1 or -1) from `zoom`, staying within the steps. */
export function zoomStep(zoom: number, direction: 1 | -1): number {
  if (direction > 0) return ZOOMS.find((z) => z > zoom + 1e-6) ?? ZOOMS[ZOOMS.length - 1];
  return [...ZOOMS].reverse().find((z) => z < zoom - 1e-6) ?? ZOOMS[0];
}
