# A REFER-style index (lichengunc/refer, refer.py: REFER.__init__ and
# createIndex, transcribed): loads <root>/<dataset>/refs(<split_by>).p with
# Python's pickle and instances.json with json, indexes them the way REFER
# does, and prints what the test checks as one JSON object.
# Usage: python refer_index.py <root> <dataset> <split_by>
import json
import os.path as osp
import pickle
import sys

root, dataset, split_by = sys.argv[1:4]
data_dir = osp.join(root, dataset)
with open(osp.join(data_dir, 'refs(' + split_by + ').p'), 'rb') as f:
    refs = pickle.load(f)
with open(osp.join(data_dir, 'instances.json'), 'r') as f:
    instances = json.load(f)

Anns, Imgs, Cats, imgToAnns = {}, {}, {}, {}
for ann in instances['annotations']:
    Anns[ann['id']] = ann
    imgToAnns[ann['image_id']] = imgToAnns.get(ann['image_id'], []) + [ann]
for img in instances['images']:
    Imgs[img['id']] = img
for cat in instances['categories']:
    Cats[cat['id']] = cat['name']

Refs, imgToRefs, refToAnn, annToRef, catToRefs = {}, {}, {}, {}, {}
Sents, sentToRef, sentToTokens = {}, {}, {}
for ref in refs:
    ref_id, ann_id, category_id, image_id = ref['ref_id'], ref['ann_id'], ref['category_id'], ref['image_id']
    Refs[ref_id] = ref
    imgToRefs[image_id] = imgToRefs.get(image_id, []) + [ref]
    catToRefs[category_id] = catToRefs.get(category_id, []) + [ref]
    refToAnn[ref_id] = Anns[ann_id]
    annToRef[ann_id] = ref
    for sent in ref['sentences']:
        Sents[sent['sent_id']] = sent
        sentToRef[sent['sent_id']] = ref
        sentToTokens[sent['sent_id']] = sent['tokens']

def get_ref_ids(split):
    return [ref['ref_id'] for ref in refs if ref['split'] == split]

print(json.dumps({
    'types': sorted({type(v).__name__ for ref in refs for v in ref.values()}),
    'keys': sorted(refs[0].keys()) if refs else [],
    'sentence_keys': sorted(refs[0]['sentences'][0].keys()) if refs else [],
    'refs': len(Refs),
    'sents': len(Sents),
    'splits': {s: get_ref_ids(s) for s in sorted({ref['split'] for ref in refs})},
    'per_ref': [{
        'ref_id': ref['ref_id'],
        'ann_id': ref['ann_id'],
        'image': Imgs[ref['image_id']]['file_name'],
        'file_name': ref['file_name'],
        'category': Cats[ref['category_id']],
        'box': refToAnn[ref['ref_id']]['bbox'],
        'amodal': refToAnn[ref['ref_id']].get('amodal_bbox'),
        'segmentation': refToAnn[ref['ref_id']]['segmentation'],
        'sents': [[s['sent_id'], s['raw'], s['sent'], s['tokens']] for s in ref['sentences']],
        'sent_ids': ref['sent_ids'],
        'same_image_refs': len(imgToRefs[ref['image_id']]),
    } for ref in refs],
}, ensure_ascii=False))
