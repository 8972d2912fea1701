export { Amount, type AmountProps } from "./Amount.js"
export * as AuthorizationAlert from "./AuthorizationAlert.js"
export { BillingErrorBoundary, type BillingErrorBoundaryProps } from "./BillingErrorBoundary.js"
export {
  BillingProvider,
  type BillingProviderProps,
  MissingBillingProviderError,
  MissingCallerError,
  useBillingRuntime,
  useCaller,
  useMessages,
  useOptionalCaller
} from "./BillingProvider.js"
export * as ClaimEditor from "./ClaimEditor.js"
export * as Dashboard from "./Dashboard.js"
// Components and their hooks: one line each, below.
export * as DenialWorkqueue from "./DenialWorkqueue.js"
export * as EligibilityCard from "./EligibilityCard.js"
export { ErrorMessage, type ErrorMessageProps } from "./ErrorMessage.js"
export * as Messages from "./Messages.js"
export * as PatientBalance from "./PatientBalance.js"
export * as PatientEstimate from "./PatientEstimate.js"
export * as RemittanceViewer from "./RemittanceViewer.js"
export * as Result from "./Result.js"
export * as SessionTracker from "./SessionTracker.js"
export { ThemeScope, type ThemeScopeProps, type Token, tokenStyle } from "./ThemeScope.js"
export {
  type AuthorizationAlertState,
  type AuthorizationOverride,
  type AuthorizationStatus,
  type BlockingCheck,
  isBlocking,
  type UseAuthorizationAlertOptions,
  useAuthorizationAlert
} from "./useAuthorizationAlert.js"
export {
  useClaims,
  useCoding,
  useExchangeWithClearinghouse,
  usePostRemittance,
  useScrubClaims,
  useSubmitClaims
} from "./useBilling.js"
export { type BillingAction, useBillingAction } from "./useBillingAction.js"
export { type UseBillingQueryOptions, useBillingEffect, useBillingQuery } from "./useBillingEffect.js"
export {
  addDiagnosis as addClaimDiagnosis,
  addLine as addClaimLine,
  type ClaimEditor as ClaimEditorState,
  type ClaimEditorError,
  editLine as editClaimLine,
  type FieldKey as ClaimFieldKey,
  fieldOf as claimFieldOf,
  removeDiagnosis as removeClaimDiagnosis,
  removeLine as removeClaimLine,
  type SubmitResult as ClaimSubmitResult,
  type UseClaimEditorOptions,
  useClaimEditor
} from "./useClaimEditor.js"
export {
  type AgeBucket,
  ageBuckets,
  type BulkAction,
  type BulkReport,
  type DenialMeaning,
  type DenialRemittance,
  type DenialWorkqueueState,
  denialMeaning,
  loadDenialRemittances,
  loadWorkqueue,
  toRows as workqueueRows,
  type UseDenialWorkqueueOptions,
  useDenialRemittances,
  useDenialWorkqueue,
  type WorkqueueData,
  type WorkqueueFilters,
  type WorkqueuePayer,
  type WorkqueueQuery,
  type WorkqueueRow,
  type WorkqueueSort,
  type WorkqueueSortColumn
} from "./useDenialWorkqueue.js"
export { type EligibilityState, type UseEligibilityOptions, useEligibility } from "./useEligibility.js"
export {
  benefitsFromEligibility,
  type PatientEstimateState,
  type PatientEstimateValue,
  type UsePatientEstimateOptions,
  usePatientEstimate
} from "./usePatientEstimate.js"
export {
  type AdjustmentView as RemittanceAdjustmentView,
  type ClaimView as RemittanceClaimView,
  fromAdvice as remittanceViewFromAdvice,
  fromPostings as remittanceViewFromPostings,
  type LineView as RemittanceLineView,
  loadRemittanceView,
  type RemittanceView,
  type UseRemittanceViewOptions,
  useRemittanceView
} from "./useRemittanceViewer.js"
export {
  type Directory,
  type ReportPeriod,
  useAgingReport,
  useCleanClaimRate,
  useCollections,
  useDenialTrends,
  useDirectory,
  usePatientStatement
} from "./useReports.js"
export {
  browserTimer,
  elapsedAt,
  type LiveNext,
  type ManualClock,
  manualClock,
  type SessionMove,
  type SessionTimer,
  type SessionTrackerState,
  type UseSessionTrackerOptions,
  useSessionElapsed,
  useSessionTracker
} from "./useSessionTracker.js"
export { useText } from "./useText.js"
