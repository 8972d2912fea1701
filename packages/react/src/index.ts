export { Amount, type AmountProps } from "./Amount.js"
export { BillingErrorBoundary, type BillingErrorBoundaryProps } from "./BillingErrorBoundary.js"
export {
  BillingProvider,
  type BillingProviderProps,
  MissingBillingProviderError,
  useBillingRuntime
} from "./BillingProvider.js"
export * as Result from "./Result.js"
export { useBillingEffect } from "./useBillingEffect.js"
