/** A file input that also takes a file dropped on it. */
import { type DragEvent, useState } from "react";
import { formatBytes } from "../lib/format.ts";

interface Props {
  readonly id: string;
  readonly file: File | undefined;
  readonly onFile: (file: File | undefined) => void;
  readonly describedBy?: string;
  readonly required?: boolean;
  readonly invalid?: boolean;
}

export function FileDrop({ id, file, onFile, describedBy, required, invalid }: Props) {
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const dropped = e.dataTransfer.files[0];
    if (dropped) onFile(dropped);
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a shortcut; the file input inside is the keyboard way
    <div
      className={`drop${over ? " over" : ""}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      data-testid={`drop-${id}`}
    >
      <input
        id={id}
        type="file"
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        required={required && !file}
        onChange={(e) => onFile(e.target.files?.[0])}
      />
      <p className="muted">
        {file ? `${file.name} (${formatBytes(file.size)})` : "Choose a file, or drop one here."}
      </p>
    </div>
  );
}
