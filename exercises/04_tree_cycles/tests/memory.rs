//! The graded contract of `tree_cycles`. Sizes are for 64-bit targets.
//!
//! Besides full trees, the tests grow random trees from a seeded generator
//! (`memprobe::inputs`): nodes with up to dozens of children, non-ASCII
//! names. They navigate up from the leaves (`parent()`, `path()`) *before*
//! dropping the root, so navigating must not pin anything either.

use std::hint::black_box;
use std::rc::Rc;

use memprobe::inputs::Rng;
use memprobe::{Budget, Metric};
use tree_cycles::{Node, build_tree, count_nodes};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(&str) -> std::rc::Rc<tree_cycles::Node> = tree_cycles::Node::new_root;
const _: fn(&std::rc::Rc<tree_cycles::Node>, &str) -> std::rc::Rc<tree_cycles::Node> =
    tree_cycles::Node::add_child;
const _: for<'a> fn(&'a tree_cycles::Node) -> &'a str = tree_cycles::Node::name;
const _: fn(&tree_cycles::Node) -> Option<std::rc::Rc<tree_cycles::Node>> =
    tree_cycles::Node::parent;
const _: fn(&tree_cycles::Node, usize) -> Option<std::rc::Rc<tree_cycles::Node>> =
    tree_cycles::Node::child;
const _: fn(&tree_cycles::Node) -> usize = tree_cycles::Node::child_count;
const _: fn(&tree_cycles::Node) -> String = tree_cycles::Node::path;
const _: fn(usize, usize) -> std::rc::Rc<tree_cycles::Node> = tree_cycles::build_tree;
const _: fn(&tree_cycles::Node) -> usize = tree_cycles::count_nodes;

/// Follows child indexes down from `node`.
fn descend(node: &Rc<Node>, indexes: &[usize]) -> Rc<Node> {
    let mut node = Rc::clone(node);
    for &i in indexes {
        node = node.child(i).expect("the child exists");
    }
    node
}

/// Nodes of a full tree: `1 + fanout + fanout^2 + ... + fanout^depth`.
fn full_tree_size(depth: u32, fanout: usize) -> usize {
    (0..=depth).map(|level| fanout.pow(level)).sum()
}

/// A tree grown at random: a root and `n` more nodes, each added under a
/// random earlier node, with a random (sometimes non-ASCII) name. Returns
/// every node in creation order, its parent's index and its expected path.
struct RandomTree {
    nodes: Vec<Rc<Node>>,
    parents: Vec<usize>,
    paths: Vec<String>,
}

fn random_tree(n: usize, seed: u64) -> RandomTree {
    let mut rng = Rng::new(seed);
    let root = Node::new_root(&rng.word(1..=6, true));
    let mut tree = RandomTree {
        paths: vec![root.name().to_string()],
        nodes: vec![root],
        parents: vec![0],
    };
    for _ in 0..n {
        let parent = rng.below(tree.nodes.len() as u64) as usize;
        let name = rng.word(1..=6, true);
        let child = Node::add_child(&tree.nodes[parent], &name);
        let path = format!("{}/{name}", tree.paths[parent]);
        tree.nodes.push(child);
        tree.parents.push(parent);
        tree.paths.push(path);
    }
    tree
}

/// Checks every node of a random tree (path, `parent()` twice, the count);
/// returns the first mismatch.
fn first_mismatch(tree: &RandomTree) -> Option<String> {
    let count = count_nodes(&tree.nodes[0]);
    if count != tree.nodes.len() {
        return Some(format!(
            "count_nodes is {count}, the tree has {}",
            tree.nodes.len()
        ));
    }
    for (i, node) in tree.nodes.iter().enumerate() {
        if node.path() != tree.paths[i] {
            return Some(format!(
                "path() is {:?}, expected {:?}",
                node.path(),
                tree.paths[i]
            ));
        }
        for call in ["first", "second"] {
            let parent = node.parent();
            let right = match (i, &parent) {
                (0, None) => true,
                (0, Some(_)) => false,
                (_, Some(p)) => Rc::ptr_eq(p, &tree.nodes[tree.parents[i]]),
                (_, None) => false,
            };
            if !right {
                return Some(format!("{call} parent() of {:?} is wrong", tree.paths[i]));
            }
        }
    }
    None
}

/// Builds a full tree, counts it, navigates up from its last leaf (whose
/// path must be `want_path`), and drops it. Returns the count and whether
/// the path was right.
fn build_count_and_drop(depth: usize, fanout: usize, want_path: &str) -> (usize, bool) {
    let root = build_tree(black_box(depth), black_box(fanout));
    let nodes = count_nodes(&root);
    let mut leaf = Rc::clone(&root);
    while let Some(last) = leaf.child(leaf.child_count().wrapping_sub(1)) {
        leaf = last;
    }
    let path_ok = leaf.path() == want_path;
    drop(leaf);
    drop(root);
    (nodes, path_ok)
}

#[test]
fn navigates_from_a_leaf_to_the_root() {
    let root = build_tree(3, 2);
    assert_eq!(count_nodes(&root), 15);
    assert_eq!(root.name(), "root");
    assert!(root.parent().is_none());
    assert_eq!(root.child_count(), 2);
    let leaf = descend(&root, &[1, 0, 1]);
    assert_eq!(leaf.child_count(), 0);
    assert_eq!(leaf.path(), "root/1/0/1");
    let parent = leaf.parent().expect("a leaf has a parent");
    assert_eq!(parent.path(), "root/1/0");
    assert!(Rc::ptr_eq(&parent, &descend(&root, &[1, 0])));
    let again = leaf.parent().expect("parent() works on every call");
    assert!(Rc::ptr_eq(&parent, &again));
    let added = Node::add_child(&parent, "extra");
    assert_eq!(added.path(), "root/1/0/extra");
    assert_eq!(parent.child_count(), 3);
    for name in ["4th", "größe", "日本語"] {
        Node::add_child(&parent, name);
    }
    assert_eq!(parent.child_count(), 6);
    assert_eq!(descend(&root, &[1, 0, 5]).path(), "root/1/0/日本語");

    let wide = build_tree(2, 5);
    assert_eq!(count_nodes(&wide), 31);
    assert_eq!(descend(&wide, &[4, 3]).path(), "root/4/3");
    assert_eq!(build_tree(0, 9).child_count(), 0);

    for (n, seed) in [(1, 1), (17, 2), (100, 3), (255, 4)] {
        let tree = random_tree(n, seed);
        assert_eq!(
            first_mismatch(&tree),
            None,
            "random tree of {} nodes",
            n + 1
        );
    }
}

#[test]
fn dropping_the_root_frees_every_node() {
    let idea = "child -> parent is a strong Rc, so parent and child own each other and no count reaches zero: hold the parent as a Weak<Node> (Rc::downgrade), upgrade() it in parent() and keep no strong copy";
    for (depth, fanout) in [(4, 3), (2, 7), (3, 5), (0, 0usize)] {
        let last = fanout.saturating_sub(1).to_string();
        let want_path = std::iter::once("root")
            .chain(std::iter::repeat_n(last.as_str(), depth))
            .collect::<Vec<_>>()
            .join("/");
        let ((nodes, path_ok), stats) =
            memprobe::measure(|| build_count_and_drop(depth, fanout, &want_path));
        let what = format!("build_tree({depth}, {fanout}), count, navigate up, drop");
        assert_eq!(nodes, full_tree_size(depth as u32, fanout), "{what}");
        assert!(
            path_ok,
            "{what}: the last leaf's path() is not {want_path:?}"
        );
        memprobe::enforce(Metric::LiveBytes, Budget::Exactly(0), &stats, &what, idea);
    }
    for (n, seed) in [(1, 11), (17, 12), (100, 13), (255, 14)] {
        let (mismatch, stats) = memprobe::measure(|| {
            let tree = random_tree(black_box(n), seed);
            first_mismatch(&tree).is_some()
        });
        assert!(!mismatch, "random tree of {} nodes is wrong", n + 1);
        memprobe::enforce(
            Metric::LiveBytes,
            Budget::Exactly(0),
            &stats,
            &format!(
                "a random tree of {} nodes, navigated up from every node and dropped",
                n + 1
            ),
            idea,
        );
    }
}

#[test]
fn a_kept_leaf_does_not_keep_the_tree_alive() {
    // What may stay: the leaf's Rc block (two counts + the Node), its name,
    // and the bare block of its parent, which the leaf's Weak pins until the
    // leaf goes (the parent's value is dropped). The name's heap is its
    // length (a `String` from `to_string` or a `Box<str>`); 16 bytes more
    // allow an `Rc<str>` name's counts.
    let rc_block = 2 * size_of::<usize>() + size_of::<Node>();
    for (n, seed) in [(121, 21), (255, 22), (1_000, 23)] {
        let (leaf, stats) = memprobe::measure(|| {
            let tree = random_tree(black_box(n), seed);
            let leaf = Rc::clone(tree.nodes.last().expect("nodes"));
            // Count, and navigate up twice, before dropping the tree.
            assert_eq!(count_nodes(&tree.nodes[0]), n + 1, "count_nodes");
            for _ in 0..2 {
                assert_eq!(leaf.path(), *tree.paths.last().expect("paths"));
            }
            leaf
        });
        let budget = 2 * rc_block + leaf.name().len() + 16;
        memprobe::enforce(
            Metric::LiveBytes,
            Budget::AtMost(budget),
            &stats,
            &format!("one leaf kept from a random tree of {} nodes", n + 1),
            "a parent pointer should not own its parent, nor should anything cached from it: with a Weak<Node> the tree is freed when the root goes",
        );
        assert_eq!(leaf.child_count(), 0);
        assert!(
            leaf.parent().is_none(),
            "the parent was dropped with the root"
        );
        assert_eq!(leaf.path(), leaf.name());
    }
    let leaf = descend(&build_tree(4, 3), &[2, 0, 1, 2]);
    assert_eq!(leaf.name(), "2");
    assert!(
        leaf.parent().is_none(),
        "the parent was dropped with the root"
    );
}
