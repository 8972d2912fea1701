import { Store } from "@openrcm/core"
import { useBillingQuery } from "@openrcm/react"
import { Effect } from "effect"
import { useEffect, useState } from "react"
import { type PlaygroundRuntime, sandboxFiles } from "../runtime.js"

interface Download {
  readonly name: string
  readonly kind: string
  readonly text: string
}

/** A link that downloads `text` as a file: the real X12 the packages wrote. */
function DownloadLink({ file }: { readonly file: Download }) {
  const [href, setHref] = useState<string | undefined>(undefined)
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([file.text], { type: "application/edi-x12" }))
    setHref(url)
    return () => URL.revokeObjectURL(url)
  }, [file.text])
  return href === undefined ? null : (
    <a href={href} download={file.name}>
      {file.name}
    </a>
  )
}

/** The batches the outbox still holds, from the store: JSON until a clearinghouse adapter writes them as an 837P. */
const storedSubmissions = Effect.gen(function* () {
  const store = yield* Store.Store
  return yield* store.submissions.pending(1000)
})

export function FilesScreen({ runtime }: { readonly runtime: PlaygroundRuntime }) {
  const [exchanged, setExchanged] = useState<ReadonlyArray<Download>>([])
  const pending = useBillingQuery(() => storedSubmissions, [])
  useEffect(() => {
    let live = true
    sandboxFiles(runtime).then((files) => {
      if (live) setExchanged(files.map((f) => ({ name: f.name, kind: f.kind, text: f.x12 })))
    })
    return () => {
      live = false
    }
  }, [runtime])
  const waiting =
    pending.result._tag === "Success"
      ? pending.result.value.map((s) => ({ name: `${s.key}.batch.json`, kind: "batch queued (JSON)", text: s.payload }))
      : []
  const files = [...waiting, ...exchanged]
  return files.length === 0 ? (
    <p>Nothing yet: submit claims and send them to the clearinghouse from the Claims screen.</p>
  ) : (
    <table className="playground-table">
      <caption>X12 files exchanged with the sandbox this visit, and batches still queued</caption>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">File</th>
          <th scope="col">Size</th>
        </tr>
      </thead>
      <tbody>
        {files.map((file) => (
          <tr key={file.name} data-kind={file.kind}>
            <td>{file.kind}</td>
            <td>
              <DownloadLink file={file} />
            </td>
            <td>{file.text.length.toLocaleString("en-US")} bytes</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
