import { type Claim, DateOfService, DenialCatalog, Diagnosis, Money, RulePack, type Scrub } from "@openrcm/core"
import { Option, Schema } from "effect"
import {
  type ComponentPropsWithoutRef,
  createContext,
  memo,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState
} from "react"
import { Amount } from "./Amount.js"
import { ErrorMessage } from "./ErrorMessage.js"
import {
  addDiagnosis,
  addLine,
  type ClaimEditor as ClaimEditorState,
  editLine,
  type FieldKey,
  fieldOf,
  type LinePart,
  lineField,
  maxDiagnoses,
  maxLines,
  removeDiagnosis,
  removeLine,
  type SubmitResult,
  setDiagnosis,
  setPriorAuthorization,
  type UseClaimEditorOptions,
  useClaimEditor
} from "./useClaimEditor.js"
import { useText } from "./useText.js"

type Text = ReturnType<typeof useText>

/**
 * What changes rarely: ids, the root, and stable ways to edit and fix. Lines read only this (and their own props),
 * so a keystroke in one line does not redraw the other 49.
 */
interface StableContext {
  /** The id of a field's input, for labels, `aria-describedby` and focus. */
  readonly fieldId: (field: FieldKey) => string
  readonly findingsId: (field: FieldKey) => string
  readonly findingsRegionId: string
  readonly root: React.RefObject<HTMLElement | null>
  readonly update: ClaimEditorState["update"]
  readonly applyFix: ClaimEditorState["applyFix"]
  /** True while a fix runs in the store. */
  readonly fixing: boolean
}

interface EditorContext extends StableContext {
  readonly editor: ClaimEditorState
}

const Stable = createContext<StableContext | null>(null)
const Editor = createContext<ClaimEditorState | null>(null)

const useEditorContext = (part: string): EditorContext => {
  const stable = useContext(Stable)
  const editor = useContext(Editor)
  if (stable === null || editor === null)
    throw new Error(`ClaimEditor.${part} must be rendered inside <ClaimEditor.Root>.`)
  return { ...stable, editor }
}

const useStableContext = (part: string): StableContext => {
  const stable = useContext(Stable)
  if (stable === null) throw new Error(`ClaimEditor.${part} must be rendered inside <ClaimEditor.Root>.`)
  return stable
}

/** The editor's state, for parts a host writes itself. */
export const useClaimEditorContext = (): ClaimEditorState => useEditorContext("useClaimEditorContext").editor

const stateOf = (editor: ClaimEditorState): string => {
  if (editor.claim === undefined) {
    if (editor.load._tag === "Failure") return "error"
    if (editor.load._tag === "Success") return "empty"
    return "loading"
  }
  const submission = editor.submission
  if (submission.waiting) return "submitting"
  if (submission._tag === "Failure") return "error"
  if (submission._tag === "Success") {
    const result = submission.value
    if (result._tag === "Blocked") return "refused"
    return result.outcome._tag === "Queued" ? "submitted" : "refused"
  }
  return "editing"
}

export interface RootProps extends UseClaimEditorOptions, Omit<ComponentPropsWithoutRef<"form">, "onSubmit"> {
  /** The parts; the default composition when absent. */
  readonly children?: ReactNode
}

/**
 * The editor: holds the draft (controlled through `claim`/`onClaimChange`, or uncontrolled from `defaultClaim` or
 * the stored `claimId`), scrubs it on every edit and submits it. `data-state`: `loading`, `empty`, `error`,
 * `editing`, `submitting`, `submitted`, `refused`; `data-claim-status` and `data-blocking` follow the draft.
 */
export function Root({
  claimId,
  claim,
  defaultClaim,
  onClaimChange,
  asOf,
  onSubmitted,
  children,
  className,
  ...props
}: RootProps) {
  const editor = useClaimEditor({ claimId, claim, defaultClaim, onClaimChange, asOf, onSubmitted })
  const base = useId()
  const root = useRef<HTMLFormElement | null>(null)
  const text = useText()
  const fieldId = useCallback((field: FieldKey) => `${base}-${field.replaceAll(".", "-")}`, [base])
  const findingsId = useCallback((field: FieldKey) => `${fieldId(field)}-findings`, [fieldId])
  // The latest editor behind stable functions: a controlled host's new draft must not redraw every line.
  const latest = useRef(editor)
  latest.current = editor
  const update = useCallback<ClaimEditorState["update"]>((edit) => latest.current.update(edit), [])
  const applyFix = useCallback<ClaimEditorState["applyFix"]>((fix) => latest.current.applyFix(fix), [])
  const fixing = editor.fixing.result.waiting
  const stable = useMemo<StableContext>(
    () => ({ fieldId, findingsId, findingsRegionId: `${base}-findings`, root, update, applyFix, fixing }),
    [fieldId, findingsId, base, update, applyFix, fixing]
  )
  return (
    <Stable.Provider value={stable}>
      <Editor.Provider value={editor}>
        <form
          ref={root}
          aria-label={text("claimEditor.label", "Claim")}
          noValidate
          className={className === undefined ? "openrcm-claim-editor" : `openrcm-claim-editor ${className}`}
          data-state={stateOf(editor)}
          data-claim-status={editor.claim?.status}
          data-blocking={editor.scrub?.blocking ?? false}
          data-dirty={editor.dirty}
          onSubmit={(event) => event.preventDefault()}
          {...props}
        >
          {children ?? <DefaultParts />}
        </form>
      </Editor.Provider>
    </Stable.Provider>
  )
}

/** The default composition: status, summary, diagnoses, lines, findings and submit. */
function DefaultParts() {
  return (
    <>
      <Status />
      <Summary />
      <Diagnoses />
      <PriorAuthorization />
      <Lines />
      <Findings />
      <Submit />
    </>
  )
}

/** Loading, empty and load-error states; nothing once there is a draft. */
export function Status(props: ComponentPropsWithoutRef<"div">) {
  const { editor } = useEditorContext("Status")
  const text = useText()
  if (editor.claim !== undefined) return null
  if (editor.load._tag === "Failure")
    return <ErrorMessage error={editor.load.error} onRetry={editor.reload} data-slot="status" {...props} />
  const loading = editor.load._tag === "Initial"
  return (
    <div role="status" data-slot="status" data-state={loading ? "loading" : "empty"} {...props}>
      {loading
        ? text("claimEditor.loading", "Loading the claim…")
        : text("claimEditor.empty", "There is no claim to edit.")}
    </div>
  )
}

/** The claim's status, line count and total charge. */
export function Summary(props: ComponentPropsWithoutRef<"dl">) {
  const { editor } = useEditorContext("Summary")
  const text = useText()
  const claim = editor.claim
  if (claim === undefined) return null
  return (
    <dl data-slot="summary" {...props}>
      <div>
        <dt>{text("claimEditor.status", "Status")}</dt>
        <dd data-slot="claim-status">{text(`claimEditor.status.${claim.status}`, claim.status)}</dd>
      </div>
      <div>
        <dt>{text("claimEditor.lineCount", "Lines")}</dt>
        <dd>{claim.lines.length}</dd>
      </div>
      <div>
        <dt>{text("claimEditor.totalCharge", "Total charge")}</dt>
        <dd>
          <Amount value={claim.charge} />
        </dd>
      </div>
    </dl>
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Fields

const isProcedureCode = Schema.is(RulePack.ProcedureCode)
const isModifier = Schema.is(RulePack.Modifier)
const isPlaceOfService = Schema.is(RulePack.PlaceOfService)
const isDiagnosisCode = Schema.is(Diagnosis.DiagnosisCode)

type Parsed<A> = { readonly ok: true; readonly value: A } | { readonly ok: false }
const ok = <A,>(value: A): Parsed<A> => ({ ok: true, value })
const bad: Parsed<never> = { ok: false }

const parseList = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part !== "")

const parsers = {
  code: (text: string): Parsed<Partial<Claim.Line>> => {
    const code = text.trim().toUpperCase()
    return isProcedureCode(code) ? ok({ code }) : bad
  },
  modifiers: (text: string): Parsed<Partial<Claim.Line>> => {
    const modifiers = parseList(text.toUpperCase())
    return modifiers.length <= 4 && modifiers.every(isModifier) && new Set(modifiers).size === modifiers.length
      ? ok({ modifiers })
      : bad
  },
  units: (text: string): Parsed<Partial<Claim.Line>> => {
    const units = Number(text.trim())
    return /^\d+$/.test(text.trim()) && units >= 1 && units <= 9999 ? ok({ units }) : bad
  },
  charge: (text: string): Parsed<Partial<Claim.Line>> => {
    const cleaned = text.trim().replace(/^\$/, "").replaceAll(",", "")
    return /^\d+(\.\d{1,2})?$/.test(cleaned) ? ok({ charge: Money.parseDecimal(cleaned) }) : bad
  },
  dateOfService: (text: string): Parsed<Partial<Claim.Line>> =>
    DateOfService.isValid(text.trim()) ? ok({ dateOfService: DateOfService.make(text.trim()) }) : bad,
  placeOfService: (text: string): Parsed<Partial<Claim.Line>> => {
    const placeOfService = text.trim()
    return isPlaceOfService(placeOfService) ? ok({ placeOfService }) : bad
  },
  pointers: (text: string): Parsed<Partial<Claim.Line>> => {
    const parts = parseList(text)
    const pointers = parts.map(Number)
    return parts.length >= 1 &&
      parts.length <= 4 &&
      parts.every((p) => /^\d+$/.test(p)) &&
      pointers.every((p) => p >= 1 && p <= 12)
      ? ok({ diagnosisPointers: pointers })
      : bad
  }
} satisfies Record<LinePart, (text: string) => Parsed<Partial<Claim.Line>>>

// "140" and "140.5" as people write a charge: "140.00", "140.50".
const withCents = (decimal: string): string => {
  const [whole, fraction = ""] = decimal.split(".")
  return `${whole}.${fraction.padEnd(2, "0")}`
}

const formatters: Record<LinePart, (line: Claim.Line) => string> = {
  code: (line) => line.code,
  modifiers: (line) => line.modifiers.join(" "),
  units: (line) => String(line.units),
  charge: (line) => withCents(Money.toDecimalString(line.charge)),
  dateOfService: (line) => line.dateOfService,
  placeOfService: (line) => line.placeOfService,
  pointers: (line) => line.diagnosisPointers.join(", ")
}

const partLabels: Record<LinePart, [string, string]> = {
  code: ["claimEditor.line.code", "Procedure code"],
  modifiers: ["claimEditor.line.modifiers", "Modifiers"],
  units: ["claimEditor.line.units", "Units"],
  charge: ["claimEditor.line.charge", "Charge"],
  dateOfService: ["claimEditor.line.dateOfService", "Date of service"],
  placeOfService: ["claimEditor.line.placeOfService", "Place of service"],
  pointers: ["claimEditor.line.pointers", "Diagnosis pointers"]
}

const partHints: Partial<Record<LinePart, [string, string]>> = {
  code: ["claimEditor.hint.code", "A CPT or HCPCS code, such as 90834."],
  modifiers: ["claimEditor.hint.modifiers", "Up to four two-character modifiers, separated by spaces."],
  units: ["claimEditor.hint.units", "A whole number from 1 to 9999."],
  charge: ["claimEditor.hint.charge", "Dollars and cents, such as 150.00."],
  dateOfService: ["claimEditor.hint.dateOfService", "A date as YYYY-MM-DD."],
  placeOfService: ["claimEditor.hint.placeOfService", "Two digits, such as 11 or 10."],
  pointers: ["claimEditor.hint.pointers", "One to four diagnosis positions, such as 1, 2."]
}

/**
 * A text input bound to a part of the draft: the text a person types stays as typed; a value that parses updates
 * the draft (and the scrub), one that does not marks the input invalid with a hint. A change from elsewhere (a fix)
 * replaces the text.
 */
function FieldInput({
  field,
  findings,
  label,
  value,
  normalize,
  commit,
  invalidHint,
  type = "text",
  inputMode
}: {
  readonly field: FieldKey
  /** The findings about this field. */
  readonly findings: ReadonlyArray<Scrub.Finding>
  readonly label: string
  /** The draft's value, as the input shows it. */
  readonly value: string
  /** The value text would give, as the input shows it; `undefined` when the text is not valid. */
  readonly normalize: (text: string) => string | undefined
  /** Writes valid text to the draft. */
  readonly commit: (text: string) => void
  readonly invalidHint: string
  readonly type?: "text" | "date"
  readonly inputMode?: "numeric" | "decimal" | "text" | undefined
}) {
  const { fieldId, findingsId } = useStableContext("Field")
  const [text, setText] = useState(value)
  const textRef = useRef(text)
  textRef.current = text
  const normalizeRef = useRef(normalize)
  normalizeRef.current = normalize
  // The draft changed under the input (a fix, a removed line): show the new value, unless it is what was typed.
  useEffect(() => {
    if (normalizeRef.current(textRef.current) !== value) setText(value)
  }, [value])
  const invalid = normalize(text) === undefined
  const id = fieldId(field)
  const hintId = `${id}-hint`
  const describedBy = [invalid ? hintId : undefined, findings.length > 0 ? findingsId(field) : undefined]
    .filter((part) => part !== undefined)
    .join(" ")
  const error = invalid || findings.some((finding) => finding.severity === "error")
  return (
    <div data-slot="field" data-field={field} data-invalid={error}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        inputMode={inputMode}
        value={text}
        aria-invalid={error}
        aria-describedby={describedBy === "" ? undefined : describedBy}
        onChange={(event) => {
          const next = event.target.value
          setText(next)
          if (normalize(next) !== undefined) commit(next)
        }}
        onBlur={() => {
          if (!invalid) setText(value)
        }}
      />
      {invalid ? (
        <p id={hintId} data-slot="field-hint">
          {invalidHint}
        </p>
      ) : null}
      <FindingList id={findingsId(field)} findings={findings} />
    </div>
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Findings

const fixLabel = (fix: Scrub.Fix, text: Text): string => {
  switch (fix._tag) {
    case "AddModifier":
      return text("claimEditor.fix.addModifier", "Add modifier {modifier}", { modifier: fix.modifier })
    case "RemoveModifier":
      return text("claimEditor.fix.removeModifier", "Remove modifier {modifier}", { modifier: fix.modifier })
    case "ReplaceModifier":
      return text("claimEditor.fix.replaceModifier", "Replace modifier {from} with {to}", fix)
    case "SetPlaceOfService":
      return text("claimEditor.fix.setPlaceOfService", "Set place of service to {placeOfService}", fix)
    case "SetUnits":
      return text("claimEditor.fix.setUnits", "Set units to {units}", fix)
    case "SetPointers":
      return text("claimEditor.fix.setPointers", "Point to diagnoses {pointers}", {
        pointers: fix.pointers.join(", ")
      })
    case "SetPriorAuthorization":
      return text("claimEditor.fix.setPriorAuthorization", "Use the authorization on file")
  }
}

const describeCode = (lookup: (code: string) => Option.Option<DenialCatalog.Code>, code: string) =>
  Option.match(lookup(code), { onNone: () => undefined, onSome: (found) => found.description })

/** One finding: severity, message, suggestion, the denial the payer would likely send, and its certain fix. */
export function Finding({ finding, withFix = true }: { readonly finding: Scrub.Finding; readonly withFix?: boolean }) {
  const { applyFix, fixing } = useStableContext("Finding")
  const text = useText()
  const { denial } = finding
  const carc = describeCode(DenialCatalog.carc, denial.carc)
  const rarc = denial.rarc === undefined ? undefined : describeCode(DenialCatalog.rarc, denial.rarc)
  const fix = finding.fix
  return (
    <li data-slot="finding" data-severity={finding.severity} data-edit={finding.edit}>
      <span data-slot="finding-severity">
        {finding.severity === "error"
          ? text("claimEditor.severity.error", "Error")
          : text("claimEditor.severity.warning", "Warning")}
        {": "}
      </span>
      <span data-slot="finding-message">{finding.message}</span>{" "}
      <span data-slot="finding-suggestion">{finding.suggestion}</span>{" "}
      <span data-slot="finding-denial">
        {text("claimEditor.likelyDenial", "Likely denial:")}{" "}
        <abbr title={[carc, rarc].filter((d) => d !== undefined).join(" ")}>
          {denial.group}-{denial.carc}
          {denial.rarc === undefined ? "" : ` ${denial.rarc}`}
        </abbr>
      </span>
      {withFix && fix !== undefined ? (
        <button type="button" data-slot="finding-fix" disabled={fixing} onClick={() => void applyFix(fix)}>
          {fixLabel(fix, text)}
        </button>
      ) : null}
    </li>
  )
}

// A finding is one edit on one line (or the claim) with one message: what the scrubber emits once.
const findingKey = (finding: Scrub.Finding) => `${finding.edit}|${finding.line ?? ""}|${finding.message}`

function FindingList({ id, findings }: { readonly id: string; readonly findings: ReadonlyArray<Scrub.Finding> }) {
  if (findings.length === 0) return null
  return (
    <ul id={id} data-slot="field-findings">
      {findings.map((finding) => (
        <Finding key={findingKey(finding)} finding={finding} />
      ))}
    </ul>
  )
}

/** The findings of one field, under it; the input names this list in `aria-describedby`. */
export function FieldFindings({ field }: { readonly field: FieldKey }) {
  const { editor, findingsId } = useEditorContext("FieldFindings")
  return <FindingList id={findingsId(field)} findings={editor.findingsFor(field)} />
}

/**
 * Every finding of the draft, in the scrubber's order, each with a way to its field; findings about the claim as
 * a whole (NPI, taxonomy, coverage) show only here. Says so when the claim is clean.
 */
export function Findings(props: ComponentPropsWithoutRef<"section">) {
  const { editor, fieldId, findingsRegionId, findingsId } = useEditorContext("Findings")
  const text = useText()
  if (editor.claim === undefined) return null
  const headingId = `${findingsRegionId}-heading`
  const errors = editor.findings.filter((finding) => finding.severity === "error").length
  const warnings = editor.findings.length - errors
  return (
    <section
      id={findingsRegionId}
      tabIndex={-1}
      aria-labelledby={headingId}
      data-slot="findings"
      data-state={editor.scrub === undefined ? "loading" : editor.findings.length === 0 ? "clean" : "found"}
      {...props}
    >
      <h3 id={headingId}>{text("claimEditor.findings", "Scrub findings")}</h3>
      {editor.fixing.result._tag === "Failure" ? (
        <ErrorMessage error={editor.fixing.result.error} data-slot="fix-error" />
      ) : null}
      {editor.scrub === undefined ? (
        editor.context._tag === "Failure" ? (
          <ErrorMessage error={editor.context.error} />
        ) : (
          <p role="status">{text("claimEditor.scrubbing", "Checking the claim against the payer's rules…")}</p>
        )
      ) : editor.findings.length === 0 ? (
        <p role="status">{text("claimEditor.clean", "No findings: the claim passes every edit.")}</p>
      ) : (
        <>
          <p role="status">
            {text("claimEditor.findingCount", "Errors: {errors}. Warnings: {warnings}.", { errors, warnings })}
          </p>
          <ul>
            {editor.findings.map((finding) => {
              const field = fieldOf(finding)
              return (
                <li key={findingKey(finding)} data-slot="findings-item" data-severity={finding.severity}>
                  <ul>
                    <Finding finding={finding} withFix={field === "claim"} />
                  </ul>
                  {field === "claim" ? null : (
                    <button
                      type="button"
                      data-slot="findings-goto"
                      aria-describedby={findingsId(field)}
                      onClick={() => document.getElementById(fieldId(field))?.focus()}
                    >
                      {text("claimEditor.goToField", "Go to the field")}
                    </button>
                  )}
                </li>
              )
            })}
          </ul>
        </>
      )}
    </section>
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Diagnoses and the prior authorization

/** The claim's diagnoses, principal first: edit, add (up to 12) and remove. */
export function Diagnoses(props: ComponentPropsWithoutRef<"fieldset">) {
  const { editor, fieldId } = useEditorContext("Diagnoses")
  const text = useText()
  const claim = editor.claim
  if (claim === undefined) return null
  const focusLater = (field: FieldKey) => requestAnimationFrame(() => document.getElementById(fieldId(field))?.focus())
  return (
    <fieldset data-slot="diagnoses" {...props}>
      <legend>{text("claimEditor.diagnoses", "Diagnoses")}</legend>
      <FieldFindings field="diagnoses" />
      <ol>
        {claim.diagnoses.map((code, k) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a diagnosis is its position (lines point to it).
          <li key={k} data-slot="diagnosis">
            <FieldInput
              field={`diagnosis.${k}`}
              findings={editor.findingsFor(`diagnosis.${k}`)}
              label={
                k === 0
                  ? text("claimEditor.diagnosis.principal", "Diagnosis 1 (principal)")
                  : text("claimEditor.diagnosis", "Diagnosis {position}", { position: k + 1 })
              }
              value={code}
              invalidHint={text("claimEditor.hint.diagnosis", "An ICD-10-CM code, such as F41.1.")}
              normalize={(value) => {
                const next = value.trim().toUpperCase()
                return isDiagnosisCode(next) ? next : undefined
              }}
              commit={(value) => {
                const next = value.trim().toUpperCase()
                if (isDiagnosisCode(next)) editor.update((current) => setDiagnosis(current, k, next))
              }}
            />
            <button
              type="button"
              data-slot="diagnosis-remove"
              disabled={claim.diagnoses.length <= 1}
              onClick={() => {
                editor.update((current) => removeDiagnosis(current, k))
                focusLater(`diagnosis.${Math.max(0, k - 1)}`)
              }}
            >
              {text("claimEditor.diagnosis.remove", "Remove diagnosis {position}", { position: k + 1 })}
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        data-slot="diagnosis-add"
        disabled={claim.diagnoses.length >= maxDiagnoses}
        onClick={() => {
          editor.update(addDiagnosis)
          focusLater(`diagnosis.${claim.diagnoses.length}`)
        }}
      >
        {text("claimEditor.diagnosis.add", "Add diagnosis")}
      </button>
    </fieldset>
  )
}

/** The prior authorization number (2300 REF*G1); empty for none. */
export function PriorAuthorization() {
  const { editor } = useEditorContext("PriorAuthorization")
  const text = useText()
  const claim = editor.claim
  if (claim === undefined) return null
  return (
    <div data-slot="prior-authorization">
      <FieldInput
        field="priorAuthorization"
        findings={editor.findingsFor("priorAuthorization")}
        label={text("claimEditor.priorAuthorization", "Prior authorization number")}
        value={claim.priorAuthorization ?? ""}
        invalidHint=""
        normalize={(value) => value.trim()}
        commit={(value) => {
          editor.update((current) => setPriorAuthorization(current, value))
        }}
      />
    </div>
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Lines

const lineParts: ReadonlyArray<LinePart> = [
  "code",
  "modifiers",
  "units",
  "charge",
  "dateOfService",
  "placeOfService",
  "pointers"
]

/** One service line: its parts, its findings, and adding a line after it or removing it. */
export function Line({ index }: { readonly index: number }) {
  const { editor } = useEditorContext("Line")
  const claim = editor.claim
  const line = claim?.lines[index]
  const findings = useMemo(
    () => Object.fromEntries(lineParts.map((part) => [part, editor.findingsFor(lineField(index, part))])),
    [editor.findingsFor, index]
  ) as Record<LinePart, ReadonlyArray<Scrub.Finding>>
  if (claim === undefined || line === undefined) return null
  return (
    <LineFields
      index={index}
      line={line}
      count={claim.lines.length}
      findings={findings}
      signature={JSON.stringify(findings)}
    />
  )
}

// A claim's constructor copies its lines, so an untouched line is a new object with the same content.
const sameLine = (a: Claim.Line, b: Claim.Line): boolean =>
  a.code === b.code &&
  a.units === b.units &&
  a.charge === b.charge &&
  a.dateOfService === b.dateOfService &&
  a.placeOfService === b.placeOfService &&
  a.sessionId === b.sessionId &&
  a.modifiers.join(" ") === b.modifiers.join(" ") &&
  a.diagnosisPointers.join(" ") === b.diagnosisPointers.join(" ")

interface LineFieldsProps {
  readonly index: number
  readonly line: Claim.Line
  readonly count: number
  readonly findings: Readonly<Record<LinePart, ReadonlyArray<Scrub.Finding>>>
  /** The findings as text: the scrub makes new objects on every edit, the same findings compare equal by this. */
  readonly signature: string
}

// Redrawn only when its line, position, the number of lines or its findings change.
const LineFields = memo(
  function LineFields({ index, line, count, findings }: LineFieldsProps) {
    const { fieldId, update } = useStableContext("Line")
    const text = useText()
    const invalid = lineParts.some((part) => findings[part].some((finding) => finding.severity === "error"))
    const legendId = `${fieldId(lineField(index, "code"))}-legend`
    return (
      <fieldset data-slot="line" data-line={index} data-invalid={invalid} aria-labelledby={legendId}>
        <legend id={legendId}>
          {text("claimEditor.line", "Line {number}", { number: index + 1 })}
          <span data-slot="line-charge">
            {" "}
            <Amount value={line.charge} />
          </span>
        </legend>
        {lineParts.map((part) => {
          const [key, fallback] = partLabels[part]
          const [hintKey, hintFallback] = partHints[part] ?? ["", ""]
          return (
            <FieldInput
              key={part}
              field={lineField(index, part)}
              findings={findings[part]}
              label={text(key, fallback)}
              value={formatters[part](line)}
              type={part === "dateOfService" ? "date" : "text"}
              inputMode={part === "units" ? "numeric" : part === "charge" ? "decimal" : undefined}
              invalidHint={text(hintKey, hintFallback)}
              normalize={(value) => {
                const parsed = parsers[part](value)
                return parsed.ok ? formatters[part]({ ...line, ...parsed.value }) : undefined
              }}
              commit={(value) => {
                const parsed = parsers[part](value)
                if (parsed.ok) update((current) => editLine(current, index, parsed.value))
              }}
            />
          )
        })}
        <div data-slot="line-actions">
          <button
            type="button"
            data-slot="line-add"
            disabled={count >= maxLines}
            onClick={() => {
              update((current) => addLine(current, index))
              requestAnimationFrame(() => document.getElementById(fieldId(lineField(index + 1, "code")))?.focus())
            }}
          >
            {text("claimEditor.line.addAfter", "Add a line after line {number}", { number: index + 1 })}
          </button>
          <button
            type="button"
            data-slot="line-remove"
            disabled={count <= 1}
            onClick={() => {
              update((current) => removeLine(current, index))
              const target = lineField(Math.max(0, index - 1), "code")
              requestAnimationFrame(() => document.getElementById(fieldId(target))?.focus())
            }}
          >
            {text("claimEditor.line.remove", "Remove line {number}", { number: index + 1 })}
          </button>
        </div>
      </fieldset>
    )
  },
  (a, b) =>
    a.index === b.index &&
    a.count === b.count &&
    a.signature === b.signature &&
    (a.line === b.line || sameLine(a.line, b.line))
)

/** Every line, in order (up to 50). */
export function Lines(props: ComponentPropsWithoutRef<"section">) {
  const { editor } = useEditorContext("Lines")
  const text = useText()
  const claim = editor.claim
  if (claim === undefined) return null
  return (
    <section data-slot="lines" aria-label={text("claimEditor.lines", "Service lines")} {...props}>
      {claim.lines.map((_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a line is its position (findings and fixes name it).
        <Line key={index} index={index} />
      ))}
    </section>
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Submit

const refusalText = (result: SubmitResult, text: Text): string => {
  if (result._tag === "Blocked") {
    const errors = result.findings.filter((finding) => finding.severity === "error").length
    return text("claimEditor.refused.blocked", "Not submitted: fix what the scrub found first (errors: {errors}).", {
      errors
    })
  }
  const outcome = result.outcome
  if (outcome._tag === "Queued")
    return text("claimEditor.submitted", "Submitted: the claim is queued for the clearinghouse.")
  const reason = outcome.reason
  switch (reason._tag) {
    case "NotFound":
      return text("claimEditor.refused.NotFound", "Not submitted: the claim is not in the store.")
    case "NotReady":
      return text("claimEditor.refused.NotReady", "Not submitted: a {status} claim cannot be submitted.", reason)
    case "AlreadySubmitted":
      return text("claimEditor.refused.AlreadySubmitted", "Not submitted: the same claim was already sent.")
    case "MissingPayerClaimNumber":
      return text(
        "claimEditor.refused.MissingPayerClaimNumber",
        "Not submitted: a replacement or void needs the payer's claim number."
      )
    case "MissingRecord":
      return text("claimEditor.refused.MissingRecord", "Not submitted: the claim's {entity} record is missing.", reason)
  }
}

/**
 * Submits the draft: refused on the spot when the scrub has an error (focus moves to the first field in error),
 * else saved, scrubbed in the store and queued; the outcome is announced.
 */
export function Submit(props: ComponentPropsWithoutRef<"div">) {
  const { editor, root, findingsRegionId } = useEditorContext("Submit")
  const text = useText()
  const [focusRequest, setFocusRequest] = useState(0)
  useEffect(() => {
    if (focusRequest === 0) return
    const first = root.current?.querySelector<HTMLElement>('input[aria-invalid="true"]')
    ;(first ?? document.getElementById(findingsRegionId))?.focus()
  }, [focusRequest, root, findingsRegionId])
  if (editor.claim === undefined) return null
  const submission = editor.submission
  const outcome = submission._tag === "Success" ? submission.value : undefined
  const queued = outcome?._tag === "Submitted" && outcome.outcome._tag === "Queued"
  return (
    <div data-slot="submit" {...props}>
      <button
        type="button"
        data-variant="primary"
        disabled={submission.waiting}
        onClick={async () => {
          const result = await editor.submit()
          if (result?._tag === "Blocked") setFocusRequest((n) => n + 1)
        }}
      >
        {submission.waiting
          ? text("claimEditor.submitting", "Submitting…")
          : text("claimEditor.submit", "Submit claim")}
      </button>
      {submission._tag === "Failure" ? (
        <ErrorMessage error={submission.error} onRetry={() => void editor.submit()} />
      ) : null}
      <p
        role={outcome !== undefined && !queued ? "alert" : "status"}
        data-slot="submit-outcome"
        data-outcome={outcome === undefined ? "none" : queued ? "queued" : "refused"}
      >
        {outcome === undefined ? "" : refusalText(outcome, text)}
      </p>
    </div>
  )
}

/** The default composition, for hosts that want the whole editor. */
export function ClaimEditorDefault(props: Omit<RootProps, "children">) {
  return <Root {...props} />
}
