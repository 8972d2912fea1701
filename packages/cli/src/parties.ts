import type { Batch837 } from "@openrcm/clearinghouse-x12"
import { Effect, Option } from "effect"
import { Flag } from "effect/cli"
import { InputError } from "./input.js"

/** Who sends the 837P and who receives it: the flags `x12 837` and `claims submit --mailbox` share. */
export const partyFlags = {
  submitterId: Flag.String("submitter-id").pipe(
    Flag.withDescription("The submitter's id at the receiver (1000A NM109, the ETIN the clearinghouse gave you)"),
    Flag.optional
  ),
  submitterName: Flag.String("submitter-name").pipe(
    Flag.withDescription("The submitter's name (1000A NM103)"),
    Flag.optional
  ),
  receiverId: Flag.String("receiver-id").pipe(
    Flag.withDescription("The receiver's id (1000B NM109, the clearinghouse or payer)"),
    Flag.optional
  ),
  receiverName: Flag.String("receiver-name").pipe(
    Flag.withDescription("The receiver's name (1000B NM103; default: its id)"),
    Flag.optional
  ),
  contactName: Flag.String("contact-name").pipe(
    Flag.withDescription("The submitter's contact (1000A PER; default: the submitter's name)"),
    Flag.optional
  ),
  contactPhone: Flag.String("contact-phone").pipe(
    Flag.withDescription("The contact's phone, 10 digits or more (a phone or an email is required)"),
    Flag.optional
  ),
  contactEmail: Flag.String("contact-email").pipe(
    Flag.withDescription("The contact's email (a phone or an email is required)"),
    Flag.optional
  ),
  usage: Flag.Literals("usage", ["T", "P"]).pipe(
    Flag.withDescription("ISA15: T for test files, P for production"),
    Flag.withDefault("P" as const)
  )
}

export interface PartyFlags {
  readonly submitterId: Option.Option<string>
  readonly submitterName: Option.Option<string>
  readonly receiverId: Option.Option<string>
  readonly receiverName: Option.Option<string>
  readonly contactName: Option.Option<string>
  readonly contactPhone: Option.Option<string>
  readonly contactEmail: Option.Option<string>
  readonly usage: "T" | "P"
}

/** The parties from the flags; each missing one is named (`needed` says what needs it). */
export const partiesOf = (flags: PartyFlags, needed: string): Effect.Effect<Batch837.Parties, InputError> => {
  const missing = (
    [
      ["--submitter-id", flags.submitterId],
      ["--submitter-name", flags.submitterName],
      ["--receiver-id", flags.receiverId]
    ] as const
  ).flatMap(([flag, value]) => (Option.isNone(value) ? [`${flag} is required ${needed}`] : []))
  if (Option.isNone(flags.contactPhone) && Option.isNone(flags.contactEmail)) {
    missing.push(`--contact-phone or --contact-email is required ${needed} (the 837's submitter contact)`)
  }
  if (missing.length > 0) return Effect.fail(new InputError({ problems: missing }))
  const submitterName = Option.getOrElse(flags.submitterName, () => "")
  const receiverId = Option.getOrElse(flags.receiverId, () => "")
  return Effect.succeed({
    submitter: {
      id: Option.getOrElse(flags.submitterId, () => ""),
      name: submitterName,
      contact: {
        name: Option.getOrElse(flags.contactName, () => submitterName),
        ...Option.match(flags.contactPhone, { onNone: () => ({}), onSome: (phone) => ({ phone }) }),
        ...Option.match(flags.contactEmail, { onNone: () => ({}), onSome: (email) => ({ email }) })
      }
    },
    receiver: { id: receiverId, name: Option.getOrElse(flags.receiverName, () => receiverId) },
    usage: flags.usage
  })
}
