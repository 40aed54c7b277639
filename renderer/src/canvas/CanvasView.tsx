// The image canvas. Five Konva layers, each one custom shape drawn in screen
// pixels from the view store's viewport (no Stage transform): the image, all
// boxes (culled), the box being drawn, the selection with its handles, and
// the model's proposals. Pan/zoom never render React: at rest a view change
// redraws the layers; inside a pan or wheel gesture the image is redrawn and
// the overlay canvases are moved with CSS transforms, then redrawn once it
// settles (gesture-layers.ts).
// The viewport in the store is always exact, so hit tests never see a bitmap.
import Konva from 'konva';
import { useEffect, useRef, useState } from 'react';
import { Layer, Shape, Stage } from 'react-konva';
import { wheelZoomFactor, zoomAt, type Viewport } from '@core/geometry';
import { egm } from '../egm';
import { currentProposalScene, drawProposals } from '../grounding/canvas/proposal-draw';
import { attachProposalLayer } from '../grounding/canvas/proposal-layer';
import { app, currentImage, useApp } from '../state/store';
import { currentFile, pictureFailed } from '../state/image-file';
import { isFiltering } from '../lib/image-filters';
import { useView, view } from '../state/view';
import { gestureActive, gestureMove, onGestureSettle } from '../state/viewport-gesture';
import { boxView, imageFilter } from './box-view';
import { drawBoxes, drawDraft, drawImage, drawSelection } from './draw';
import { GestureLayers } from './gesture-layers';
import { currentScene } from './scene';
import { attachSceneSync } from './scene-sync';
import { PointerController } from './pointer';
import { fitView, followResize } from './viewport';

type Draw = (ctx: CanvasRenderingContext2D, pixelRatio: number, vp: Viewport, w: number, h: number) => unknown;
const FAST = { perfectDrawEnabled: false, strokeScaleEnabled: false, shadowForStrokeEnabled: false, listening: false } as const;

function screenShape(draw: Draw) {
  return (ctx: Konva.Context, shape: Konva.Shape) => {
    const { vp, width, height } = view.get();
    draw(ctx._context as CanvasRenderingContext2D, shape.getLayer()!.getCanvas().getPixelRatio(), vp, width, height);
  };
}
const imageFunc = screenShape(drawImage);
const boxesFunc = screenShape(drawBoxes);
const selectionFunc = screenShape(drawSelection);
const draftFunc = screenShape(drawDraft);
const proposalsFunc = screenShape(drawProposals);

export function CanvasView() {
  const hostRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const imageLayer = useRef<Konva.Layer>(null);
  const layers = { boxes: useRef<Konva.Layer>(null), selection: useRef<Konva.Layer>(null), draft: useRef<Konva.Layer>(null) };
  const proposalLayer = useRef<Konva.Layer>(null);
  const width = useView((s) => s.width);
  const height = useView((s) => s.height);
  const image = useApp((s) => currentImage(s));
  const filtering = useApp((s) => isFiltering(s.imageFilters, s.unreviewedOnly));
  // An empty overlay layer is hidden (display: none), so the compositor skips its canvas.
  const showOverlays = () => {
    const scene = currentScene();
    layers.draft.current?.visible(scene.draft !== null);
    layers.selection.current?.visible(scene.selection.size > 0);
  };
  const redrawLayer = (what: 'boxes' | 'selection' | 'draft') => {
    showOverlays();
    layers[what].current?.batchDraw();
  };
  // One pointer for annotations, the proposal under review and the point hint; the proposal layer redraws on its own.
  const [input] = useState(() => new PointerController(redrawLayer));
  useEffect(() => attachProposalLayer(proposalLayer.current), []);
  // Annotations and selection into the scene, and the boxes and selection layers redrawn.
  useEffect(() => attachSceneSync(redrawLayer), []);

  // Brightness and contrast: a CSS filter on the image layer's canvas only, so
  // the compositor applies it on the GPU and pan/zoom redraws stay one drawImage.
  useEffect(() => {
    const apply = () => {
      const el = imageLayer.current?.getCanvas()._canvas;
      if (el) el.style.filter = imageFilter(boxView.get());
    };
    apply();
    return boxView.subscribe((s, prev) => {
      if (s.brightness !== prev.brightness || s.contrast !== prev.contrast) apply();
    });
  }, []);

  // Stage size follows the host element.
  useEffect(() => {
    const host = hostRef.current!;
    const ro = new ResizeObserver(() => followResize(host.clientWidth, host.clientHeight));
    ro.observe(host);
    return () => ro.disconnect();
  }, []);

  // Pan/zoom: no React render. Inside a gesture, move the drawn canvases; else redraw.
  useEffect(() => {
    const moving = new GestureLayers();
    // The image itself is one drawImage: redrawn every frame, so it never shows a gap at the edge.
    const all = [layers.boxes, layers.draft, layers.selection, proposalLayer];
    const off = all.map((l) => moving.add(l.current!));
    // An empty proposal layer is hidden like the other overlays; its redraw requests (grounding) show it again.
    const proposals = proposalLayer.current!;
    proposals.on('beforeDraw.empty', () => {
      const ps = currentProposalScene();
      proposals.visible(ps.proposals.length > 0 || ps.point !== null);
    });
    const redraw = () => stageRef.current?.batchDraw();
    const offView = view.subscribe((s, prev) => {
      if (s.vp === prev.vp && s.width === prev.width && s.height === prev.height) return;
      if (gestureActive() && s.width === prev.width && s.height === prev.height) {
        imageLayer.current?.batchDraw();
        moving.moved();
      } else redraw();
    });
    // The gesture is over: every layer is drawn crisply at the exact viewport.
    const offSettle = onGestureSettle(redraw);
    return () => {
      off.forEach((f) => f());
      proposals.off('beforeDraw.empty');
      offView();
      offSettle();
    };
  }, []);

  // Load the current image; the app is "ready" once it is decoded and drawn.
  // The URL names the project's opening (issue 16: ids repeat across projects)
  // and the file's version, and the picture on screen goes as soon as the image
  // changes, so one image's boxes are never drawn over another's picture. The
  // file is checked first (state/image-file.ts): a missing or unreadable one
  // leaves the canvas empty, with the marker below.
  const imageId = image?.id;
  const project = useApp((s) => s.project?.token ?? null);
  const file = useApp(currentFile);
  const version = file?.version ?? null;
  const problem = file?.problem ?? null;
  const checked = file !== null;
  useEffect(() => {
    const scene = currentScene();
    scene.image = null;
    imageLayer.current?.batchDraw();
    if (imageId === undefined || project === null || !checked || problem !== null) return;
    const img = currentImage(app.get())!;
    const el = new window.Image();
    let live = true;
    el.onload = () => {
      if (!live) return;
      scene.imageW = img.width;
      scene.imageH = img.height;
      scene.image = el;
      imageLayer.current?.batchDraw();
      fitView();
      requestAnimationFrame(() => live && app.set({ imageDrawn: true, phase: 'ready' }));
    };
    el.onerror = () => live && void pictureFailed(imageId);
    el.src = egm().imageUrl(project, imageId, version ?? undefined);
    return () => {
      live = false;
    };
  }, [project, imageId, checked, version, problem]);

  // Native wheel listener: React's is passive, and we must stop the page scrolling.
  useEffect(() => {
    const host = hostRef.current!;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = host.getBoundingClientRect();
      gestureMove();
      view.set({ vp: zoomAt(view.get().vp, wheelZoomFactor(e.deltaY), [e.clientX - r.left, e.clientY - r.top]) });
    };
    host.addEventListener('wheel', onWheel, { passive: false });
    return () => host.removeEventListener('wheel', onWheel);
  }, []);

  const at = (e: React.PointerEvent): [number, number] => {
    const r = hostRef.current!.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const mods = (e: React.PointerEvent) => ({ shift: e.shiftKey, alt: e.altKey, mod: e.ctrlKey || e.metaKey });

  return (
    <div
      ref={hostRef}
      // Without its picture the image's boxes are not drawn (file-problem hides every layer but the image's).
      className={problem !== null ? 'canvas-host file-problem' : 'canvas-host'}
      data-testid="canvas"
      onPointerDown={(e) => {
        if (e.button === 1) e.preventDefault();
        hostRef.current!.setPointerCapture(e.pointerId);
        (document.activeElement as HTMLElement | null)?.blur?.();
        input.down(at(e), e.button, mods(e));
        if (input.busy) hostRef.current!.style.cursor = view.get().spaceDown || e.button === 1 ? 'grabbing' : hostRef.current!.style.cursor;
      }}
      onPointerMove={(e) => {
        const cursor = input.move(at(e), mods(e));
        if (cursor !== null) hostRef.current!.style.cursor = cursor;
      }}
      onPointerUp={(e) => input.up(at(e), mods(e))}
      onPointerCancel={() => input.cancel()}
      onPointerLeave={() => app.set({ cursor: null })}
      onContextMenu={(e) => e.preventDefault()}
    >
      <Stage ref={stageRef} width={width} height={height} listening={false}>
        <Layer ref={imageLayer} listening={false}>
          <Shape sceneFunc={imageFunc} {...FAST} />
        </Layer>
        <Layer ref={layers.boxes} listening={false}>
          <Shape sceneFunc={boxesFunc} {...FAST} />
        </Layer>
        <Layer ref={layers.draft} listening={false} visible={false}>
          <Shape sceneFunc={draftFunc} {...FAST} />
        </Layer>
        <Layer ref={layers.selection} listening={false} visible={false}>
          <Shape sceneFunc={selectionFunc} {...FAST} />
        </Layer>
        <Layer ref={proposalLayer} listening={false}>
          <Shape sceneFunc={proposalsFunc} {...FAST} />
        </Layer>
      </Stage>
      {!image && (
        <div className="canvas-empty" data-testid="canvas-empty">
          {filtering ? 'No image matches the filters.' : 'No image. Add a folder of images to start.'}
        </div>
      )}
      {image && file && problem !== null && (
        <div className="canvas-missing" data-testid="canvas-missing" role="status">
          <strong>{problem === 'file not found' ? 'Missing file' : 'Unreadable file'}</strong>
          <code data-testid="canvas-missing-path">{file.path}</code>
          <span>{problem}. Its boxes are listed on the right; they are not drawn without the picture.</span>
        </div>
      )}
    </div>
  );
}
