import React from "@rbxts/react";
import { CatalogItem, catalogItems } from "shared/catalog/catalog";
import { BuildUiConfig } from "shared/config/build-ui-config";
import { useStoreValue } from "client/ui/use-store";
import { BuildController, SLOT_KEYS } from "../build-controller";
import { HudLabel } from "./hud-label";

export const SLOT_WIDTH = 118;
export const SLOT_HEIGHT = 64;
const SLOT_GAP = 6;

interface SlotProps {
	readonly build: BuildController;
	readonly item: CatalogItem;
	readonly index: number;
}

/** One item of the hotbar: name, category, count placed / per-player cap and its key; a click selects it. */
function HotbarSlot({ build, item, index }: SlotProps) {
	const selected = useStoreValue(build.store, (state) => state.mode === "build" && state.selectedItemId === item.id);
	const count = useStoreValue(build.store, () => build.footprints.countOf(item.id));
	return (
		<textbutton
			Text=""
			AutoButtonColor={true}
			BorderSizePixel={0}
			BackgroundColor3={selected ? BuildUiConfig.slotSelected : BuildUiConfig.slotIdle}
			Position={UDim2.fromOffset(SLOT_GAP + index * (SLOT_WIDTH + SLOT_GAP), SLOT_GAP)}
			Size={UDim2.fromOffset(SLOT_WIDTH, SLOT_HEIGHT)}
			Event={{ Activated: () => build.selectSlot(index) }}
		>
			<HudLabel key="Key" text={SLOT_KEYS[index] !== undefined ? `${index + 1}` : ""} position={new UDim2(1, -18, 0, 2)} size={UDim2.fromOffset(14, 16)} textSize={12} />
			<HudLabel key="ItemName" text={item.displayName} position={UDim2.fromOffset(4, 4)} size={new UDim2(1, -8, 0, 20)} textSize={15} />
			<HudLabel key="Category" text={item.category} position={UDim2.fromOffset(4, 24)} size={new UDim2(1, -8, 0, 16)} textSize={12} />
			<HudLabel key="Count" text={`${count} / ${item.perPlayerCap}`} position={UDim2.fromOffset(4, 42)} size={new UDim2(1, -8, 0, 18)} textSize={14} />
		</textbutton>
	);
}

/** The catalog as a row of slots along the bottom of the screen. */
export function Hotbar({ build }: { readonly build: BuildController }) {
	const items = catalogItems();
	const width = items.size() * (SLOT_WIDTH + SLOT_GAP) + SLOT_GAP;
	return (
		<frame
			AnchorPoint={new Vector2(0.5, 1)}
			Position={new UDim2(0.5, 0, 1, -12)}
			Size={UDim2.fromOffset(width, SLOT_HEIGHT + 2 * SLOT_GAP)}
			BackgroundColor3={Color3.fromRGB(25, 28, 34)}
			BackgroundTransparency={0.25}
			BorderSizePixel={0}
		>
			{items.map((item, index) => (
				<HotbarSlot key={`Slot${index + 1}`} build={build} item={item} index={index} />
			))}
		</frame>
	);
}
