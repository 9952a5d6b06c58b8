import { type DragEvent, useId, useState } from 'react';

import { useUploadImage } from '@/features/seller/api/upload-image';
import { getErrorMessage } from '@/lib/error-message';

const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'];
/** What a browser can still shrink comfortably; the upload itself is the scaled WebP. */
const MAX_SOURCE_BYTES = 25 * 1024 * 1024;

interface ImageUploaderProps {
  /** How many more images the product may take. */
  room: number;
  onUploaded: (url: string) => void;
}

/** Drop images here or choose them (several at once); each is scaled down in the browser and stored in R2. */
export function ImageUploader({ room, onUploaded }: ImageUploaderProps) {
  const inputId = useId();
  const upload = useUploadImage();
  const [over, setOver] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const take = async (files: File[]) => {
    setProblem(null);
    const refused = files.find((file) => !ACCEPTED.includes(file.type) || file.size > MAX_SOURCE_BYTES);
    if (refused) {
      setProblem(`“${refused.name}” is not a JPEG, PNG, WebP or AVIF image under 25 MB.`);
      return;
    }
    const batch = files.slice(0, room);
    if (files.length > room) setProblem(`Only ${room} more ${room === 1 ? 'image fits' : 'images fit'}; the first ${room} were added.`);
    for (const [i, file] of batch.entries()) {
      setProgress(`Uploading ${i + 1} of ${batch.length}…`);
      try {
        onUploaded((await upload.mutateAsync(file)).url);
      } catch (err) {
        setProblem(`“${file.name}” could not be uploaded: ${getErrorMessage(err)}`);
        break;
      }
    }
    setProgress(null);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    void take([...event.dataTransfer.files]);
  };

  return (
    <div
      className="drop-zone"
      data-over={over || undefined}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="drop-zone__hint">Drag images here, or</p>
      <label className="button button--secondary" htmlFor={inputId} aria-disabled={room <= 0 || progress !== null}>
        Choose images
      </label>
      <input
        id={inputId}
        className="visually-hidden"
        type="file"
        accept={ACCEPTED.join(',')}
        multiple
        disabled={room <= 0 || progress !== null}
        onChange={(event) => {
          void take([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
      <p className="field__hint" role="status">
        {progress ?? (room > 0 ? 'JPEG, PNG, WebP or AVIF; they are resized for the shop before upload.' : 'This product has all the images it can take.')}
      </p>
      {problem ? <p className="field__error">{problem}</p> : null}
    </div>
  );
}
