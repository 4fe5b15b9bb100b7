// Public surface of the durability models (issue #9), for `zonestore durability model|report`:
// validate the hardware (flags or measured repair speed), then print the report and write the
// plot. Everything here is pure; the CLI does the I/O.
export { DEFAULT_HARDWARE, SCHEMES, durabilityTable, renderDurabilityTable, repairDays, type DurabilityRow, type Hardware, type Scheme } from './durability-table.ts';
export { hardwareFrom, hardwareSchema, validateHardware } from './hardware-validation.ts';
export { modelRows, renderModelReport, type LossFigures, type ModelReportOptions, type ModelRow } from './model-report.ts';
export { ninesCurve, renderNinesPlot, type NinesPlotOptions, type NinesPoint } from './nines-plot.ts';
export { countStripeGroups, type StripeGroupCount } from './stripe-groups.ts';
export { simulateZonedStripeLoss, zoneLayout, type ZonedMonteCarloInput } from './zone-monte-carlo.ts';
export { estimateRareLoss, rareEventScale, scaleInflatedResult, type RareEventInput, type ScaledEstimate } from './rare-events.ts';
export { repairDaysForBandwidth, simulateStripeLoss, type MonteCarloResult } from './monte-carlo.ts';
