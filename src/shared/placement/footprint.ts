//!native
/** Engine-free geometry of placement: snapping, rotation steps and rotated footprints. */

import { RejectionReason } from "./rejection-reason";

/** Beyond this a coordinate is not a position at all (also catches 1e308). */
export const MAX_COORDINATE = 1e5;

export function isFiniteNumber(value: number): boolean {
	return value === value && value > -MAX_COORDINATE && value < MAX_COORDINATE;
}

export function snapToGrid(value: number, gridSize: number): number {
	const snapped = math.round(value / gridSize) * gridSize;
	// A hair below zero rounds to -0, which a profile's JSON would keep as "-0".
	return snapped === 0 ? 0 : snapped;
}

/** The rotation in [0, 360) when it is a multiple of `step`, otherwise undefined. */
export function normalizeRotation(rotation: number, step: number): number | undefined {
	if (!isFiniteNumber(rotation)) return undefined;
	const steps = rotation / step;
	const rounded = math.round(steps);
	if (math.abs(steps - rounded) > 1e-6) return undefined;
	const degrees = (rounded * step) % 360;
	return degrees < 0 ? degrees + 360 : degrees;
}

/** Axis-aligned box on the X/Z plane (plot-relative studs). */
export interface FootprintBox {
	minX: number;
	minZ: number;
	maxX: number;
	maxZ: number;
}

/** The X/Z box covered by an item of `size` at base-centre `position`, turned `rotation` degrees. */
export function footprintBox(position: Vector3, size: Vector3, rotation: number): FootprintBox {
	return footprintBoxInto(position.X, position.Z, size, rotation, { minX: 0, minZ: 0, maxX: 0, maxZ: 0 });
}

/** `box` moved by (`dx`, `dz`), written into `out`, which it returns. */
export function offsetBoxInto(box: FootprintBox, dx: number, dz: number, out: FootprintBox): FootprintBox {
	out.minX = box.minX + dx;
	out.minZ = box.minZ + dz;
	out.maxX = box.maxX + dx;
	out.maxZ = box.maxZ + dz;
	return out;
}

/** {@link footprintBox} at base centre (`x`, `z`), written into `out` (a caller's scratch box), which it returns. */
export function footprintBoxInto(x: number, z: number, size: Vector3, rotation: number, out: FootprintBox): FootprintBox {
	let halfX: number;
	let halfZ: number;
	if (rotation % 90 === 0) {
		// Quarter turns (every rotation the game accepts) swap the sides exactly, without trigonometry.
		const turned = rotation % 180 !== 0;
		halfX = (turned ? size.Z : size.X) / 2;
		halfZ = (turned ? size.X : size.Z) / 2;
	} else {
		const radians = math.rad(rotation);
		const cos = math.abs(math.cos(radians));
		const sin = math.abs(math.sin(radians));
		halfX = (cos * size.X + sin * size.Z) / 2;
		halfZ = (sin * size.X + cos * size.Z) / 2;
	}
	out.minX = x - halfX;
	out.minZ = z - halfZ;
	out.maxX = x + halfX;
	out.maxZ = z + halfZ;
	return out;
}

/** Whether `box` lies within a square plot of side `plotSize` (edges may touch). */
export function insidePlot(box: FootprintBox, plotSize: number): boolean {
	const epsilon = 1e-6;
	return box.minX >= -epsilon && box.minZ >= -epsilon && box.maxX <= plotSize + epsilon && box.maxZ <= plotSize + epsilon;
}

/**
 * The plot checks of a placement at a snapped plot-relative base `position`, in the order
 * SystemManager runs them with these same functions: the rotated footprint inside the plot and
 * not below its floor (OutsidePlot), then the top under `maxHeight` (TooHigh). The client
 * previews with it; tests/server/building/preview-parity.spec.ts holds the two together.
 */
export function plotProblem(
	box: FootprintBox,
	position: Vector3,
	height: number,
	plotSize: number,
	maxHeight: number,
): RejectionReason | undefined {
	if (!insidePlot(box, plotSize) || position.Y < 0) return RejectionReason.OutsidePlot;
	if (position.Y + height > maxHeight) return RejectionReason.TooHigh;
	return undefined;
}

/** Whether two footprints share area; touching edges do not (the rule of SpatialHash.queryBox). */
export function footprintsOverlap(a: FootprintBox, b: FootprintBox): boolean {
	return a.minX < b.maxX && b.minX < a.maxX && a.minZ < b.maxZ && b.minZ < a.maxZ;
}
