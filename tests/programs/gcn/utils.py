"""The graph reader and preprocessing as 2017 graph-network code wrote them: a Cora-style
``.content`` / ``.cites`` pair, SciPy sparse matrices, Chebyshev polynomials scaled by the
Laplacian's largest eigenvalue (ARPACK, at its old path)."""
import os

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg.eigen.arpack import eigsh


def load_data(folder, name):
    """Features (sparse), the normalized adjacency's parts, one-hot labels and the
    train / val / test masks (the first, middle and last thirds of each class)."""
    rows = np.genfromtxt(os.path.join(folder, name + ".content"), dtype=np.dtype(str))
    features = sp.csr_matrix(rows[:, 1:-1], dtype=np.float32)
    classes = sorted(set(rows[:, -1]))
    labels = np.array([[c == label for c in classes] for label in rows[:, -1]], np.float32)
    index = {node: i for i, node in enumerate(rows[:, 0])}
    edges = np.genfromtxt(os.path.join(folder, name + ".cites"), dtype=np.dtype(str))
    edges = np.array([[index[a], index[b]] for a, b in edges.reshape(-1, 2)])
    adj = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])),
                        shape=(len(index), len(index)), dtype=np.float32)
    adj = adj + adj.T.multiply(adj.T > adj) - adj.multiply(adj.T > adj)
    masks = np.zeros((3, len(index)), bool)
    for c in range(len(classes)):
        members = np.where(labels[:, c])[0]
        for part, chunk in enumerate(np.array_split(members, 3)):
            masks[part, chunk] = True
    return adj, features, labels, masks


def sparse_to_tuple(matrix):
    matrix = matrix.tocoo()
    coords = np.vstack((matrix.row, matrix.col)).transpose()
    return coords, matrix.data, matrix.shape


def preprocess_features(features):
    rowsum = np.array(features.sum(1))
    r_inv = np.power(rowsum, -1).flatten()
    r_inv[np.isinf(r_inv)] = 0.
    return sparse_to_tuple(sp.diags(r_inv).dot(features))


def normalize_adj(adj):
    adj = sp.coo_matrix(adj)
    d_inv_sqrt = np.power(np.array(adj.sum(1)), -0.5).flatten()
    d_inv_sqrt[np.isinf(d_inv_sqrt)] = 0.
    d_mat_inv_sqrt = sp.diags(d_inv_sqrt)
    return adj.dot(d_mat_inv_sqrt).transpose().dot(d_mat_inv_sqrt).tocoo()


def preprocess_adj(adj):
    return sparse_to_tuple(normalize_adj(adj + sp.eye(adj.shape[0])))


def chebyshev_polynomials(adj, k):
    """T_0 .. T_k of the scaled Laplacian, as sparse tuples."""
    laplacian = sp.eye(adj.shape[0]) - normalize_adj(adj)
    largest_eigval, _ = eigsh(laplacian, 1, which="LM", v0=np.ones(adj.shape[0]))
    scaled = (2. / largest_eigval[0]) * laplacian - sp.eye(adj.shape[0])
    t_k = [sp.eye(adj.shape[0]), scaled]
    for _ in range(2, k + 1):
        t_k.append(2 * sp.csr_matrix(scaled, copy=True).dot(t_k[-1]) - t_k[-2])
    return [sparse_to_tuple(t) for t in t_k], largest_eigval[0]
